"""Matching's domain: matchable patents, enterprise profiles, the scoring rules, pushes and
feedback. Pure Python: no FastAPI, SQLAlchemy or Kafka here."""
