"""Outcome fact <-> row."""

from __future__ import annotations

from matching.domain.outcome import OutcomeFact


def fact_values(fact: OutcomeFact) -> dict[str, object]:
    """The row's columns, except ``recorded_at`` (the repository stamps it)."""
    return {
        "kind": fact.kind.value,
        "fact_id": fact.fact_id,
        "application_number": fact.application_number,
        "effective_on": fact.effective_on,
        "counterparty_usccs": list(fact.counterparty_usccs),
        "party_usccs": list(fact.party_usccs),
        "amount_cny": fact.amount_cny,
        "license_id": fact.license_id,
    }
