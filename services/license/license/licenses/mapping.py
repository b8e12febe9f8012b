"""A licence's consents to its termination <-> the JSON list its row keeps them in."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from license.domain.license_end import PartyRole, TerminationConsent, TerminationReason


def termination_consents(data: list[dict[str, Any]]) -> tuple[TerminationConsent, ...]:
    return tuple(
        TerminationConsent(
            role=PartyRole(c["role"]),
            org_id=c["org_id"],
            name=c["name"],
            ended_on=date.fromisoformat(c["ended_on"]),
            reason=TerminationReason(c["reason"]),
            note=c.get("note"),
            recorded_at=datetime.fromisoformat(c["recorded_at"]),
        )
        for c in data
    )


def termination_consents_json(consents: tuple[TerminationConsent, ...]) -> list[dict[str, Any]]:
    return [
        {
            "role": c.role.value,
            "org_id": c.org_id,
            "name": c.name,
            "ended_on": c.ended_on.isoformat(),
            "reason": c.reason.value,
            "note": c.note,
            "recorded_at": c.recorded_at.isoformat(),
        }
        for c in consents
    ]
