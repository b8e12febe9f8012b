"""The rules that must hold after every scenario, read from each service's own database
(read-only SQL). Each check returns the violations it found, one sentence each."""

from __future__ import annotations

import asyncio
import json
from collections import defaultdict
from decimal import Decimal
from typing import Any

from tests.e2e.conftest import System
from tests.faults.traffic import query

# A pledge binds its patents from registration until it ends.
_PLEDGE_ENDED = ("cancelled", "realised", "patent_lapsed", "refused")
_IN_FORCE = ("active", "filed")
_HELD = ("awaiting_payment", "active", "filed")


async def one_registered_pledge_per_patent(system: System) -> list[str]:
    rows = await query(
        system,
        "pledge",
        "SELECT pp.application_number, array_agg(p.id) FROM pledges p "
        "JOIN pledge_patents pp ON pp.pledge_id = p.id "
        "WHERE p.registered_at IS NOT NULL AND p.status <> ALL($1) "
        "GROUP BY pp.application_number HAVING count(*) > 1",
        list(_PLEDGE_ENDED),
    )
    return [f"patent {r[0]} has {len(r[1])} registered pledges: {sorted(r[1])}" for r in rows]


def _overlap(a: str | None, b: str | None) -> bool:
    # As the licence scope rule reads them: none means all; named ones overlap when equal.
    return a is None or b is None or a.strip() == b.strip()


def _overlaps(a: Any, b: Any) -> bool:
    return (
        a["effective_date"] <= b["term_end"]
        and b["effective_date"] <= a["term_end"]
        and _overlap(a["territory"], b["territory"])
        and _overlap(a["field_of_use"], b["field_of_use"])
    )


async def exclusive_licences_stand_alone(system: System) -> list[str]:
    licences = await query(
        system,
        "license",
        "SELECT id, application_number, kind, effective_date, term_end, field_of_use, "
        "terms->>'territory' AS territory FROM licenses WHERE status = ANY($1)",
        list(_IN_FORCE),
    )
    # Listing owns declarations: its table says which are announced now.
    announced = await query(
        system,
        "listing",
        "SELECT application_number FROM declarations WHERE status = $1",
        "announced",
    )
    declared = {r[0] for r in announced}
    by_patent: dict[str, list[Any]] = defaultdict(list)
    for licence in licences:
        by_patent[licence["application_number"]].append(licence)
    found: list[str] = []
    for number, held in by_patent.items():
        for i, a in enumerate(held):
            if a["kind"] == "ordinary":
                continue
            if number in declared:
                found.append(f"{a['kind']} licence {a['id']} in force on declared patent {number}")
            for b in held[:i] + held[i + 1 :]:
                if a["effective_date"] and b["effective_date"] and _overlaps(a, b):
                    found.append(f"{a['kind']} licence {a['id']} overlaps licence {b['id']}")
    return found


async def one_licence_per_licensee_per_declaration(system: System) -> list[str]:
    rows = await query(
        system,
        "license",
        "SELECT declaration_id, licensee_org_id, count(*) FROM licenses "
        "WHERE status = ANY($1) AND declaration_id IS NOT NULL "
        "GROUP BY 1, 2 HAVING count(*) > 1",
        list(_HELD),
    )
    return [f"{r[1]} holds {r[2]} licences of declaration {r[0]}" for r in rows]


async def no_owner_change_of_a_pledged_patent_without_consent(system: System) -> list[str]:
    pledged = await query(
        system,
        "pledge",
        "SELECT pp.application_number, p.id, p.registered_at, "
        "EXISTS (SELECT 1 FROM pledge_consents c WHERE c.pledge_id = p.id "
        "AND c.consent_to = 'transfer') AS consented "
        "FROM pledges p JOIN pledge_patents pp ON pp.pledge_id = p.id "
        "WHERE p.registered_at IS NOT NULL AND p.status <> ALL($1)",
        list(_PLEDGE_ENDED),
    )
    if not pledged:
        return []
    changes = await query(
        system,
        "listing",
        "SELECT application_number, occurred_at FROM patent_timeline "
        "WHERE event_type = 'cn.ipmarket.listing.patent.owner_changed.v1' "
        "AND application_number = ANY($1)",
        [r[0] for r in pledged],
    )
    found = []
    for number, pledge_id, registered_at, consented in pledged:
        for changed, at in changes:
            if changed == number and at > registered_at and not consented:
                found.append(f"owner of {number} changed under pledge {pledge_id} without consent")
    return found


async def allocations_sum_to_the_fen(system: System) -> list[str]:
    claims = await query(system, "pledge", "SELECT id, loss, shares FROM compensation_claims")
    found = []
    for claim_id, loss, shares in claims:
        parts = _json(shares)
        total = sum((Decimal(s["amount"]) for s in parts), Decimal("0"))
        if total != Decimal(loss):
            found.append(f"compensation claim {claim_id}: shares sum to {total}, loss is {loss}")
    periods = await query(
        system,
        "license",
        "SELECT r.id, r.amount_paid, coalesce(sum(p.amount), 0) FROM royalty_periods r "
        "LEFT JOIN license_payments p ON p.royalty_period_id = r.id GROUP BY r.id",
    )
    found += [
        f"royalty period {r[0]}: paid {r[1]}, payments sum to {r[2]}"
        for r in periods
        if Decimal(r[1]) != Decimal(r[2])
    ]
    return found


def _json(value: Any) -> Any:
    # asyncpg hands JSONB over as text unless a codec is set.
    return json.loads(value) if isinstance(value, str) else value


def _owners(patentees: Any) -> list[str]:
    parts = _json(patentees)
    return sorted(str(p.get("uscc") or p.get("name")) for p in parts)


async def views_agree_with_listing(system: System) -> list[str]:
    truth = {
        r[0]: (_owners(r[1]), r[2], r[3])
        for r in await query(
            system,
            "listing",
            "SELECT application_number, patentees, legal_status, annual_fee_status FROM patents",
        )
    }
    found = []
    for service, table in (("pledge", "patent_views"), ("license", "catalogued_patents")):
        rows = await query(
            system,
            service,
            f"SELECT application_number, patentees, legal_status, annual_fee_status FROM {table}",  # noqa: S608
        )
        for number, patentees, legal, fee in rows:
            if number not in truth:
                found.append(f"{service} knows {number}, listing does not")
                continue
            if (_owners(patentees), legal, fee) != truth[number]:
                found.append(f"{service}'s view of {number} differs from listing's")
        missing = set(truth) - {r[0] for r in rows}
        found += [f"{service} never learned of patent {n}" for n in sorted(missing)]
    return found


CHECKS = (
    one_registered_pledge_per_patent,
    exclusive_licences_stand_alone,
    one_licence_per_licensee_per_declaration,
    no_owner_change_of_a_pledged_patent_without_consent,
    allocations_sum_to_the_fen,
    views_agree_with_listing,
)


async def violations(system: System) -> list[str]:
    """Every violation of every invariant in ``system`` now."""
    found: list[str] = []
    for check in CHECKS:
        found += await check(system)
    return found


async def settled_violations(system: System, timeout: float = 60.0) -> list[str]:
    """The violations once the services' views had ``timeout`` seconds to catch up: a view
    that lags is not yet wrong, one that stays apart is."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        found = await violations(system)
        if not found or asyncio.get_running_loop().time() > deadline:
            return found
        await asyncio.sleep(1)
