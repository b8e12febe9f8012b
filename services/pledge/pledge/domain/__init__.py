"""Pledge's domain: pledge registrations and the pre-check rules.
Pure Python: no FastAPI, SQLAlchemy or Kafka here."""
