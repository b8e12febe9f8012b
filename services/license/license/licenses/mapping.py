"""A licence's consents to its termination and its settled rate amendments <-> the JSON
lists its row keeps them in."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from license.domain.license_end import PartyRole, TerminationConsent, TerminationReason
from license.domain.royalty import RoyaltyRateAmendment


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


def rate_amendments(data: list[dict[str, Any]]) -> tuple[RoyaltyRateAmendment, ...]:
    return tuple(
        RoyaltyRateAmendment(
            royalty_rate=Decimal(a["royalty_rate"]),
            effective_from=date.fromisoformat(a["effective_from"]),
            mediation_case_id=a["mediation_case_id"],
            agreed_on=date.fromisoformat(a["agreed_on"]),
        )
        for a in data
    )


def rate_amendments_json(amendments: tuple[RoyaltyRateAmendment, ...]) -> list[dict[str, Any]]:
    return [
        {
            "royalty_rate": str(a.royalty_rate),
            "effective_from": a.effective_from.isoformat(),
            "mediation_case_id": a.mediation_case_id,
            "agreed_on": a.agreed_on.isoformat(),
        }
        for a in amendments
    ]
