"""The event contract between services: CloudEvents envelope, topics, and one pydantic
model per event type (``shared.events.schemas``)."""
