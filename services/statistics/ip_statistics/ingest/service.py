"""Ingestion's use case: a batch of events becomes at most one statement per table and
kind of conflict, in the consumer's transaction (which claims the events in its inbox)."""

from __future__ import annotations

from ip_statistics.domain.attributes import attributes_of, merged
from ip_statistics.domain.facts import by_conflict, fact_of
from ip_statistics.ingest.commands import IngestEvents
from ip_statistics.ingest.repository import IngestRepository
from shared.db.uow import UnitOfWork


async def ingest(uow: UnitOfWork, command: IngestEvents) -> None:
    """The facts the events count and what they say of their patents. A redelivered
    event never reaches here (the inbox), and a later event about an act already counted
    replaces, amends or leaves it as its measure's rule says (domain/measures.py)."""
    facts = []
    changes = []
    for event in command.events:
        fact = fact_of(event.event_type, event.event_id, event.time, event.data)
        if fact is not None:
            facts.append(fact)
        change = attributes_of(event.event_type, event.time, event.data)
        if change is not None:
            changes.append(change)
    repository = IngestRepository(uow.session)
    if facts:
        for conflict, kept in by_conflict(facts).items():
            await repository.save_facts(conflict, kept)
    if changes:
        await repository.save_attributes(merged(changes))
