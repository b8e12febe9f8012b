"""Webhooks' domain. Pure Python: no FastAPI, SQLAlchemy or Kafka here."""
