"""The patent office's legal-status feed as registry-sync reads it: from the position it
last applied, in sequence order, each sequence once however often the feed repeats it."""

from __future__ import annotations

from collections.abc import Iterable

from registry_sync.domain.patent_office import LegalStatusEntry


def entries_to_apply(position: int, entries: Iterable[LegalStatusEntry]) -> list[LegalStatusEntry]:
    """The entries after ``position``, in sequence order, without repeats: what a poll
    publishes. The feed may answer out of order or repeat an entry."""
    seen: dict[int, LegalStatusEntry] = {}
    for entry in entries:
        if entry.sequence > position:
            seen.setdefault(entry.sequence, entry)
    return [seen[sequence] for sequence in sorted(seen)]
