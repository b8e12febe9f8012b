"""Registry-sync's domain: technology-contract registrations and the office contract.
Pure Python: no FastAPI, SQLAlchemy or Kafka here."""
