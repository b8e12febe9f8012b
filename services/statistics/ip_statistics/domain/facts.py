"""From a published event to what the statistics keep of it: a counted act (:class:`Fact`)
and what it says of a patent's attributes (:class:`AttributeChange`).

Events arrive as their CloudEvents type, id, time and JSON ``data``, read with plain code
(no model validation): a backlog of millions of events passes through here. Which event
counts which measure, and why that one, is in docs/statistics.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ip_statistics.domain.measures import Conflict
from shared.domain.calendar import SHANGHAI

Data = Mapping[str, Any]

_EVENT = "cn.ipmarket."


@dataclass(frozen=True, slots=True)
class Fact:
    """One counted act. ``fact_key`` identifies the act within its measure (a licence's
    id, a pledge's id): a later event about the same act replaces or amends it
    (``conflict``) instead of counting it twice."""

    measure: str
    fact_key: str
    event_id: str
    effective_on: date
    recorded_at: datetime
    application_number: str
    conflict: Conflict = Conflict.FIRST
    detail: str | None = None
    party_org_id: str | None = None
    amount: Decimal | None = None
    tech_amount: Decimal | None = None


@dataclass(frozen=True, slots=True)
class AttributeChange:
    """What one event says of a patent's attributes. Each group (place, industry, owners,
    tier) is set only by the events that speak of it; ``*_as_of`` is None for a group the
    event does not speak of, else when the event's statement held."""

    application_number: str
    place_as_of: datetime | None = None
    region_code: str | None = None
    province_code: str | None = None
    city_code: str | None = None
    industry_as_of: datetime | None = None
    industry_section: str | None = None
    industry_division: str | None = None
    owners_as_of: datetime | None = None
    party_type: str | None = None
    owner_org_ids: tuple[str, ...] = ()
    tier_as_of: datetime | None = None
    tier: str | None = None
    inventoried_on: date | None = None


def day_of(moment: str | datetime) -> date:
    """The Asia/Shanghai date of an instant (an ISO 8601 string or a datetime)."""
    at = datetime.fromisoformat(moment) if isinstance(moment, str) else moment
    return at.astimezone(SHANGHAI).date()


def _date(value: str) -> date:
    return date.fromisoformat(value)


def _money(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _org_id(ref: Any) -> str | None:
    return ref.get("org_id") if isinstance(ref, Mapping) else None


# -- facts ---------------------------------------------------------------------------------

FactRule = Callable[[str, datetime, Data], Fact]


def _patent_registered(event_id: str, at: datetime, d: Data) -> Fact:
    number = d["application_number"]
    return Fact(
        "patents_registered", number, event_id, day_of(at), at, number, detail=d.get("patent_type")
    )


def _declaration(event_id: str, at: datetime, d: Data) -> Fact:
    terms = d.get("terms") or {}
    return Fact(
        "open_license_declarations",
        d["declaration_id"],
        event_id,
        day_of(d["announced_at"]),
        at,
        d["application_number"],
        detail=terms.get("payment_mode"),
    )


def _license_granted(event_id: str, at: datetime, d: Data) -> Fact:
    kind = "open" if d.get("declaration_id") else d["kind"]
    return Fact(
        "licenses_granted",
        d["license_id"],
        event_id,
        _date(d["effective_date"]),
        at,
        d["application_number"],
        detail=kind,
        amount=_money(d.get("contract_value")),
    )


def _license_filed(event_id: str, at: datetime, d: Data) -> Fact:
    return Fact(
        "license_filings",
        d["license_id"],
        event_id,
        _date(d["filed_on"]),
        at,
        d["application_number"],
        detail=d.get("kind"),
    )


def _transfer_recorded(event_id: str, at: datetime, d: Data) -> Fact:
    return Fact(
        "transfers",
        "deal:" + d["deal_id"],
        event_id,
        _date(d["recorded_on"]),
        at,
        d["application_number"],
        detail="deal",
        amount=_money(d.get("contract_value")),
    )


def _pledged_patents_transferred(event_id: str, at: datetime, d: Data) -> Fact:
    return Fact(
        "transfers",
        "pledge:" + d["pledge_id"],
        event_id,
        _date(d["transferred_on"]),
        at,
        d["application_numbers"][0],
        detail="pledge_disposal",
        amount=_money(d.get("price")),
    )


def _pledge_registered(event_id: str, at: datetime, d: Data) -> Fact:
    return Fact(
        "pledges",
        d["pledge_id"],
        event_id,
        _date(d["registered_on"]),
        at,
        d["application_numbers"][0],
        party_org_id=_org_id(d.get("pledgee")),
        amount=_money(d.get("secured_amount")),
    )


def _pledge_changed(event_id: str, at: datetime, d: Data) -> Fact:
    return Fact(
        "pledges",
        d["pledge_id"],
        event_id,
        _date(d["changed_on"]),
        at,
        d["application_numbers"][0],
        conflict=Conflict.AMEND,
        party_org_id=_org_id(d.get("pledgee")),
        amount=_money(d.get("secured_amount")),
    )


def _tech_contract_registered(event_id: str, at: datetime, d: Data) -> Fact:
    return Fact(
        "tech_contract_registrations",
        d["registration_id"],
        event_id,
        _date(d["registered_on"]),
        at,
        d["application_number"],
        conflict=Conflict.LATEST,
        detail=d.get("source_kind"),
        amount=_money(d.get("certified_contract_value")),
        tech_amount=_money(d.get("certified_technology_value")),
    )


def _inventory_recorded(event_id: str, at: datetime, d: Data) -> Fact:
    number = d["application_number"]
    return Fact(
        "patents_inventoried",
        number,
        event_id,
        day_of(at),
        at,
        number,
        detail=d.get("willingness"),
    )


def _tier_changed(event_id: str, at: datetime, d: Data) -> Fact | None:
    if d.get("tier") is None:
        return None  # a tier withdrawn is no assignment
    return Fact(
        "tier_assignments",
        event_id,
        event_id,
        day_of(at),
        at,
        d["application_number"],
        detail=d["tier"],
    )


def _match_pushed(event_id: str, at: datetime, d: Data) -> Fact:
    return Fact(
        "matching_pushes",
        d["push_id"],
        event_id,
        day_of(d["pushed_at"]),
        at,
        d["application_number"],
        detail="campaign" if d.get("campaign_id") else "routine",
    )


def _push_opened(event_id: str, at: datetime, d: Data) -> Fact:
    return Fact(
        "pushes_opened", d["push_id"], event_id, day_of(d["opened_at"]), at, d["application_number"]
    )


def _feedback(event_id: str, at: datetime, d: Data) -> Fact:
    return Fact(
        "match_feedback",
        d["feedback_id"],
        event_id,
        day_of(d["recorded_at"]),
        at,
        d["application_number"],
        conflict=Conflict.LATEST,
        detail=d.get("will_implement"),
    )


def _mediation_requested(event_id: str, at: datetime, d: Data) -> Fact:
    return Fact(
        "mediation_requests",
        d["mediation_case_id"],
        event_id,
        _date(d["requested_on"]),
        at,
        d["application_number"],
        detail=d.get("requester_side"),
    )


def _mediation_outcome(outcome: str, on: str) -> FactRule:
    def rule(event_id: str, at: datetime, d: Data) -> Fact:
        return Fact(
            "mediation_outcomes",
            d["mediation_case_id"],
            event_id,
            _date(d[on]),
            at,
            d["application_number"],
            detail=outcome,
        )

    return rule


FACT_RULES: dict[str, Callable[[str, datetime, Data], Fact | None]] = {
    _EVENT + "listing.patent.registered.v1": _patent_registered,
    _EVENT + "listing.declaration.published.v1": _declaration,
    _EVENT + "license.license.granted.v1": _license_granted,
    _EVENT + "license.filing.recorded.v1": _license_filed,
    _EVENT + "license.transfer.recorded.v1": _transfer_recorded,
    _EVENT + "pledge.disposal.transferred.v1": _pledged_patents_transferred,
    _EVENT + "pledge.pledge.registered.v1": _pledge_registered,
    _EVENT + "pledge.pledge.changed.v1": _pledge_changed,
    _EVENT + "registry.tech_contract.registered.v1": _tech_contract_registered,
    _EVENT + "listing.inventory.recorded.v1": _inventory_recorded,
    _EVENT + "listing.inventory.tier_changed.v1": _tier_changed,
    _EVENT + "matching.match.pushed.v1": _match_pushed,
    _EVENT + "matching.push.opened.v1": _push_opened,
    _EVENT + "matching.feedback.recorded.v1": _feedback,
    _EVENT + "license.mediation.requested.v1": _mediation_requested,
    _EVENT + "license.mediation.settled.v1": _mediation_outcome("settled", "settled_on"),
    _EVENT + "license.mediation.terminated.v1": _mediation_outcome("terminated", "terminated_on"),
    _EVENT + "license.mediation.refused.v1": _mediation_outcome("refused", "refused_on"),
}


def fact_of(event_type: str, event_id: str, at: datetime, data: Data) -> Fact | None:
    """The act an event counts, or None when its type counts none."""
    rule = FACT_RULES.get(event_type)
    return None if rule is None else rule(event_id, at, data)


def _wins(new: Fact, old: Fact) -> bool:
    """Whether ``new`` (arrived later) takes the place of ``old``, as the database's
    upsert decides between a stored fact and an arriving one."""
    if new.conflict is Conflict.FIRST:
        return new.effective_on < old.effective_on
    return new.recorded_at >= old.recorded_at


def by_conflict(facts: Iterable[Fact]) -> dict[Conflict, list[Fact]]:
    """The facts of one batch, at most one per act and kind of conflict (one statement may
    not touch a row twice), grouped by how they meet a stored fact."""
    kept: dict[tuple[Conflict, str, str], Fact] = {}
    for fact in facts:
        key = (fact.conflict, fact.measure, fact.fact_key)
        old = kept.get(key)
        if old is None or _wins(fact, old):
            kept[key] = fact
    grouped: dict[Conflict, list[Fact]] = {}
    for (conflict, _, _), fact in kept.items():
        grouped.setdefault(conflict, []).append(fact)
    return grouped
