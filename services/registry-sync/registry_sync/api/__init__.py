"""Registry-sync's HTTP API (/v1)."""
