"""Webhooks' HTTP API (/v1)."""
