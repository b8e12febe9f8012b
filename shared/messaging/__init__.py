"""Kafka plumbing shared by every service: producer, topics, outbox relay, idempotent
consumer with dead letters, and the dead-letter re-drive command."""
