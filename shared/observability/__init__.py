"""Structured logging, trace context and Prometheus metrics shared by every service."""
