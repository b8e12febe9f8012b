"""Listing's HTTP API (/v1)."""
