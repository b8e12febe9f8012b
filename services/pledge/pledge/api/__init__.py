"""Pledge's HTTP API (/v1)."""
