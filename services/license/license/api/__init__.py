"""License's HTTP API (/v1)."""
