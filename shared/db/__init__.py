"""Database access shared by every service: engine, unit of work, the infrastructure
tables each service database carries (outbox, inbox, idempotency keys), migrations."""
