"""A patent's history across services (its timeline)."""
