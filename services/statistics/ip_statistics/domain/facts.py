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
    # Listing's events often name a patentee by its USCC alone (no org id).
    owner_usccs: tuple[str, ...] = ()
    tier_as_of: datetime | None = None
    tier: str | None = None
    inventoried_on: date | None = None


def day_of(moment: str | datetime) -> date:
    """The Asia/Shanghai date of an instant (an ISO 8601 string or a datetime)."""
    at = datetime.fromisoformat(moment) if isinstance(moment, str) else moment
    return at.astimezone(SHANGHAI).date()


def _money(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _org_id(ref: Any) -> str | None:
    return ref.get("org_id") if isinstance(ref, Mapping) else None


# -- facts ---------------------------------------------------------------------------------

Reader = Callable[[Data], Any]


def field(name: str) -> Reader:
    return lambda d: d.get(name)


def _number(d: Data) -> str:
    """The act's principal patent: its own, or the first of several."""
    number = d.get("application_number")
    return str(number) if number is not None else str(d["application_numbers"][0])


@dataclass(frozen=True, slots=True)
class FactRule:
    """How one event type counts an act: which field keys it, which says when it took
    effect (None: the event's own time; ``instant``: a timestamp, read in Asia/Shanghai),
    and which give its detail, party and amounts."""

    measure: str
    key: str
    on: str | None = None
    instant: bool = False
    conflict: Conflict = Conflict.FIRST
    key_prefix: str = ""
    detail: Reader | None = None
    party: str | None = None
    amount: str | None = None
    tech_amount: str | None = None

    def __call__(self, event_id: str, at: datetime, d: Data) -> Fact:
        if self.on is None:
            effective_on = day_of(at)
        elif self.instant:
            effective_on = day_of(d[self.on])
        else:
            effective_on = date.fromisoformat(d[self.on])
        return Fact(
            self.measure,
            self.key_prefix + str(d[self.key]),
            event_id,
            effective_on,
            at,
            _number(d),
            conflict=self.conflict,
            detail=None if self.detail is None else self.detail(d),
            party_org_id=None if self.party is None else _org_id(d.get(self.party)),
            amount=None if self.amount is None else _money(d.get(self.amount)),
            tech_amount=None if self.tech_amount is None else _money(d.get(self.tech_amount)),
        )


def _payment_mode(d: Data) -> Any:
    return (d.get("terms") or {}).get("payment_mode")


def _license_kind(d: Data) -> Any:
    return "open" if d.get("declaration_id") else d.get("kind")


def _push_kind(d: Data) -> str:
    return "campaign" if d.get("campaign_id") else "routine"


def _constant(value: str) -> Reader:
    return lambda _: value


def _tier_changed(event_id: str, at: datetime, d: Data) -> Fact | None:
    if d.get("tier") is None:
        return None  # a tier withdrawn is no assignment
    return Fact(
        "tier_assignments", event_id, event_id, day_of(at), at, _number(d), detail=d["tier"]
    )


FACT_RULES: dict[str, Callable[[str, datetime, Data], Fact | None]] = {
    _EVENT + "listing.patent.registered.v1": FactRule(
        "patents_registered", "application_number", detail=field("patent_type")
    ),
    _EVENT + "listing.declaration.published.v1": FactRule(
        "open_license_declarations",
        "declaration_id",
        "announced_at",
        instant=True,
        detail=_payment_mode,
    ),
    _EVENT + "license.license.granted.v1": FactRule(
        "licenses_granted",
        "license_id",
        "effective_date",
        detail=_license_kind,
        amount="contract_value",
    ),
    _EVENT + "license.filing.recorded.v1": FactRule(
        "license_filings", "license_id", "filed_on", detail=field("kind")
    ),
    _EVENT + "license.transfer.recorded.v1": FactRule(
        "transfers",
        "deal_id",
        "recorded_on",
        key_prefix="deal:",
        detail=_constant("deal"),
        amount="contract_value",
    ),
    _EVENT + "pledge.disposal.transferred.v1": FactRule(
        "transfers",
        "pledge_id",
        "transferred_on",
        key_prefix="pledge:",
        detail=_constant("pledge_disposal"),
        amount="price",
    ),
    _EVENT + "pledge.pledge.registered.v1": FactRule(
        "pledges", "pledge_id", "registered_on", party="pledgee", amount="secured_amount"
    ),
    _EVENT + "pledge.pledge.changed.v1": FactRule(
        "pledges",
        "pledge_id",
        "changed_on",
        conflict=Conflict.AMEND,
        party="pledgee",
        amount="secured_amount",
    ),
    _EVENT + "registry.tech_contract.registered.v1": FactRule(
        "tech_contract_registrations",
        "registration_id",
        "registered_on",
        conflict=Conflict.LATEST,
        detail=field("source_kind"),
        amount="certified_contract_value",
        tech_amount="certified_technology_value",
    ),
    _EVENT + "listing.inventory.recorded.v1": FactRule(
        "patents_inventoried", "application_number", detail=field("willingness")
    ),
    _EVENT + "listing.inventory.tier_changed.v1": _tier_changed,
    _EVENT + "matching.match.pushed.v1": FactRule(
        "matching_pushes", "push_id", "pushed_at", instant=True, detail=_push_kind
    ),
    _EVENT + "matching.push.opened.v1": FactRule(
        "pushes_opened", "push_id", "opened_at", instant=True
    ),
    _EVENT + "matching.feedback.recorded.v1": FactRule(
        "match_feedback",
        "feedback_id",
        "recorded_at",
        instant=True,
        conflict=Conflict.LATEST,
        detail=field("will_implement"),
    ),
    _EVENT + "license.mediation.requested.v1": FactRule(
        "mediation_requests", "mediation_case_id", "requested_on", detail=field("requester_side")
    ),
    **{
        _EVENT + f"license.mediation.{outcome}.v1": FactRule(
            "mediation_outcomes", "mediation_case_id", on, detail=_constant(outcome)
        )
        for outcome, on in (
            ("settled", "settled_on"),
            ("terminated", "terminated_on"),
            ("refused", "refused_on"),
        )
    },
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
