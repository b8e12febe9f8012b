"""Listing's domain: patents, open-licence declarations and the rules that govern them.
Pure Python: no FastAPI, SQLAlchemy or Kafka here."""
