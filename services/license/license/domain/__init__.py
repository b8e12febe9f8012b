"""License's domain: patent licences, their state machine and deadlines, and the
declarations and pledges as this service knows them. Pure Python: no FastAPI,
SQLAlchemy or Kafka here."""
