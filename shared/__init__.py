"""What every ipmarket service shares: settings, database session and unit of work,
the event envelope and event schemas, outbox relay, idempotent consumer, auth,
problem+json errors, logging and metrics.

Nothing in here imports a service.
"""
