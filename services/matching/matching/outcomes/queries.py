"""The outcome figures, read in SQL over pushes, feedback, patents and the outcome facts.

These reads bypass the ORM and the repositories on purpose: each figure is an aggregate
over many rows that no aggregate object holds, and PostgreSQL counts them where they lie.
The SQL applies the rules of ``matching.domain.outcome`` (what counts as a positive
feedback, an attributed deal, a pledge by the owner, an implementation); the funnel's
counting unit is the pair (patent, enterprise pushed it).

One template serves every scope: ``{group}`` is what a row of figures is about (a patent,
an institution, a campaign) and ``{scope}`` which pushes and patents are read.

A patent's figures are credited to the institution that inventoried it (it stays its
stock patent after a transfer), else to its owning institution now.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import RowMapping, text
from sqlalchemy.ext.asyncio import AsyncSession

from matching.domain.outcome import Funnel, Industrialisation

FEN = Decimal("0.01")

# The day of a push is the day in China, as are the facts' effective dates.
_FUNNEL_TEMPLATE = """
pairs AS (
  SELECT {group} AS grp, s.application_number, s.enterprise_uscc,
         (min(s.pushed_at) AT TIME ZONE 'Asia/Shanghai')::date AS first_pushed_on,
         bool_or(s.opened_at IS NOT NULL) AS opened
  FROM pushes s JOIN patents p ON p.application_number = s.application_number
  {credited}
  WHERE {scope}
  GROUP BY 1, 2, 3
),
judged AS (
  SELECT pr.grp, pr.application_number, pr.opened,
    EXISTS (SELECT 1 FROM feedback f
            WHERE f.enterprise_uscc = pr.enterprise_uscc
              AND f.application_number = pr.application_number
              AND (f.will_implement = 'yes' OR f.market_evaluation = 'positive')) AS positive,
    coalesce(d.licensed, false) AS licensed,
    coalesce(d.transferred, false) AS transferred,
    coalesce(r.royalties, 0) AS royalties
  FROM pairs pr
  LEFT JOIN LATERAL (
    SELECT bool_or(o.kind = 'license') AS licensed,
           bool_or(o.kind = 'transfer') AS transferred,
           array_agg(o.fact_id) FILTER (WHERE o.kind = 'license') AS license_ids
    FROM outcome_facts o
    WHERE o.application_number = pr.application_number
      AND o.kind IN ('license', 'transfer')
      AND pr.enterprise_uscc = ANY (o.counterparty_usccs)
      AND o.effective_on >= pr.first_pushed_on
  ) d ON true
  LEFT JOIN LATERAL (
    SELECT sum(o.amount_cny) AS royalties
    FROM outcome_facts o
    WHERE o.kind = 'royalty' AND o.application_number = pr.application_number
      AND o.license_id = ANY (d.license_ids)
  ) r ON true
),
pledged AS (
  SELECT fp.grp, count(*) AS n
  FROM (SELECT grp, application_number, min(first_pushed_on) AS first_pushed_on
        FROM pairs GROUP BY 1, 2) fp
  JOIN patents p ON p.application_number = fp.application_number
  WHERE EXISTS (
    SELECT 1 FROM outcome_facts o
    WHERE o.kind = 'pledge' AND o.application_number = fp.application_number
      AND o.effective_on >= fp.first_pushed_on
      AND o.party_usccs::text[] && {owners})
  GROUP BY fp.grp
),
funnel AS (
  SELECT j.grp,
    count(*) AS pushed,
    count(*) FILTER (WHERE j.opened) AS opened,
    count(*) FILTER (WHERE j.positive) AS positive_feedback,
    count(*) FILTER (WHERE j.licensed) AS licensed,
    count(*) FILTER (WHERE j.transferred) AS transferred,
    count(*) FILTER (WHERE j.licensed OR j.transferred) AS deals,
    count(*) FILTER (WHERE j.royalties > 0) AS royalties_paid,
    sum(j.royalties) AS royalties_cny,
    count(DISTINCT j.application_number) AS patents_pushed,
    coalesce(max(pl.n), 0) AS pledged_patents
  FROM judged j LEFT JOIN pledged pl ON pl.grp = j.grp
  GROUP BY j.grp
)"""

_OWNERS = """ARRAY(
  SELECT e->>'uscc' FROM jsonb_array_elements(p.patentees) e WHERE e->>'uscc' IS NOT NULL)"""

_IMPLEMENTED = """EXISTS (
  SELECT 1 FROM outcome_facts o
  WHERE o.application_number = p.application_number
    AND o.kind IN ('license', 'transfer', 'implementation'))"""

_CREDITED = "LEFT JOIN inventorying_institutions ci ON ci.application_number = p.application_number"
_INSTITUTION = "coalesce(ci.institution_uscc, p.institution_uscc)"
_INSTITUTION_NAME = "coalesce(ci.institution_name, p.institution_name)"
_OF_INSTITUTION = f"{_INSTITUTION} = :uscc"

_HOLDINGS = f"""
holdings AS (
  SELECT {_INSTITUTION} AS grp, max({_INSTITUTION_NAME}) AS name,
    count(*) FILTER (WHERE p.inventoried) AS inventoried,
    count(*) FILTER (WHERE p.inventoried AND {_IMPLEMENTED}) AS implemented
  FROM patents p {_CREDITED}
  WHERE {_INSTITUTION} IS NOT NULL AND {{scope}}
  GROUP BY 1
)"""  # noqa: S608 - the module's own fragments; values are bound

_FUNNEL = _FUNNEL_TEMPLATE.replace("{owners}", _OWNERS).replace("{credited}", _CREDITED)

_FUNNEL_COLUMNS = (
    "pushed",
    "opened",
    "positive_feedback",
    "licensed",
    "transferred",
    "deals",
    "royalties_paid",
    "royalties_cny",
    "patents_pushed",
    "pledged_patents",
)
_FUNNEL_SELECT = ", ".join(f"f.{c}" for c in _FUNNEL_COLUMNS)


class InstitutionOrder(StrEnum):
    INDUSTRIALISATION_RATE = "industrialisation_rate"
    PUSHES = "pushes"


# Institutions without inventoried patents sort after every rate (-1).
_SORT_KEYS = {
    InstitutionOrder.INDUSTRIALISATION_RATE: (
        "CASE WHEN h.inventoried > 0 THEN h.implemented::float8 / h.inventoried ELSE -1 END"
    ),
    InstitutionOrder.PUSHES: "coalesce(f.pushed, 0)::float8",
}


@dataclass(frozen=True)
class InstitutionOutcomes:
    uscc: str
    name: str | None
    industrialisation: Industrialisation
    funnel: Funnel
    sort_key: float = 0.0


@dataclass(frozen=True)
class PatentOutcomes:
    application_number: str
    title: str
    institution_uscc: str | None
    institution_name: str | None
    owner_usccs: tuple[str, ...]
    inventoried: bool
    implemented: bool
    funnel: Funnel


def _funnel(row: RowMapping) -> Funnel:
    if row.get("pushed") is None:
        return Funnel()
    values = {c: row[c] for c in _FUNNEL_COLUMNS}
    values["royalties_cny"] = Decimal(values["royalties_cny"] or 0).quantize(FEN)
    return Funnel(**values)


def _institution(row: RowMapping) -> InstitutionOutcomes:
    return InstitutionOutcomes(
        uscc=row["uscc"],
        name=row["name"],
        industrialisation=Industrialisation(row["inventoried"], row["implemented"]),
        funnel=_funnel(row),
        sort_key=float(row["sort_key"]),
    )


def _patent(row: RowMapping) -> PatentOutcomes:
    return PatentOutcomes(
        application_number=row["application_number"],
        title=row["title"],
        institution_uscc=row["institution_uscc"],
        institution_name=row["institution_name"],
        owner_usccs=tuple(row["owner_usccs"]),
        inventoried=row["inventoried"],
        implemented=row["implemented"],
        funnel=_funnel(row),
    )


async def campaign_funnel(session: AsyncSession, campaign_id: str) -> Funnel | None:
    """The funnel of the pushes a campaign made (a deal counts from the day of its push);
    None if there is no such campaign."""
    known = "SELECT 1 FROM campaigns WHERE campaign_id = :campaign"
    if (await session.execute(text(known), {"campaign": campaign_id})).first() is None:
        return None
    sql = f"WITH {_FUNNEL} SELECT * FROM funnel".format(  # noqa: S608 - the module's own fragments; values are bound
        group="s.campaign_id", scope="s.campaign_id = :campaign"
    )
    row = (await session.execute(text(sql), {"campaign": campaign_id})).mappings().first()
    return Funnel() if row is None else _funnel(row)


async def patent(session: AsyncSession, application_number: str) -> PatentOutcomes | None:
    """One patent's funnel and whether it was put to use; None if matching knows no such
    patent."""
    rows = await _patents(session, "p.application_number = :number", {"number": application_number})
    return next(iter(rows), None)


async def institution(session: AsyncSession, uscc: str) -> InstitutionOutcomes:
    """One institution's funnel over its patents, and its industrialisation rate."""
    found = await _institutions(session, _OF_INSTITUTION, {"uscc": uscc})
    if found:
        return found[0]
    return InstitutionOutcomes(uscc, None, Industrialisation(), Funnel())


async def institutions_page(
    session: AsyncSession,
    order: InstitutionOrder,
    limit: int,
    after: tuple[float, str] | None,
) -> list[InstitutionOutcomes]:
    """Institutions holding inventoried or pushed patents, highest first by ``order``
    (then by USCC); ``after``: the last row of the previous page (its key and USCC)."""
    where = "true" if after is None else "(sort_key < :k OR (sort_key = :k AND uscc > :u))"
    params: dict[str, Any] = {"limit": limit}
    if after is not None:
        params |= {"k": after[0], "u": after[1]}
    return await _institutions(session, "true", params, order=order, where=where, limit=True)


async def _institutions(
    session: AsyncSession,
    scope: str,
    params: dict[str, Any],
    *,
    order: InstitutionOrder = InstitutionOrder.INDUSTRIALISATION_RATE,
    where: str = "true",
    limit: bool = False,
) -> list[InstitutionOutcomes]:
    rows = await session.execute(text(_institutions_sql(scope, order, where, limit)), params)
    return [_institution(r) for r in rows.mappings()]


def _institutions_sql(scope: str, order: InstitutionOrder, where: str, limit: bool) -> str:
    ctes = (_FUNNEL + "," + _HOLDINGS).format(group=_INSTITUTION, scope=scope)
    return (
        f"WITH {ctes} SELECT * FROM ("  # noqa: S608 - the module's own fragments; values are bound
        f" SELECT h.grp AS uscc, h.name, h.inventoried, h.implemented, {_FUNNEL_SELECT},"
        f" {_SORT_KEYS[order]} AS sort_key"
        " FROM holdings h LEFT JOIN funnel f ON f.grp = h.grp"
        " WHERE h.inventoried > 0 OR f.pushed > 0"
        f") ranked WHERE {where} ORDER BY sort_key DESC, uscc" + (" LIMIT :limit" if limit else "")
    )


def _patents_sql(scope: str) -> str:
    ctes = _FUNNEL.format(group="p.application_number", scope=scope)
    return (
        f"WITH {ctes} SELECT p.application_number, p.title,"  # noqa: S608 - the module's own fragments; values are bound
        f" {_INSTITUTION} AS institution_uscc, {_INSTITUTION_NAME} AS institution_name,"
        f" {_OWNERS} AS owner_usccs, p.inventoried,"
        f" {_IMPLEMENTED} AS implemented, {_FUNNEL_SELECT}"
        f" FROM patents p {_CREDITED} LEFT JOIN funnel f ON f.grp = p.application_number"
        f" WHERE {scope}"
    )


async def _patents(
    session: AsyncSession, scope: str, params: dict[str, Any]
) -> list[PatentOutcomes]:
    rows = await session.execute(text(_patents_sql(scope)), params)
    return [_patent(r) for r in rows.mappings()]


async def every_institution(
    session: AsyncSession, cap: int
) -> AsyncIterator[tuple[int, InstitutionOutcomes]]:
    """Every institution in the list's default order, at most ``cap``, each with how many
    there are in all (the export says when the cap cut it short)."""
    sql = _institutions_sql("true", InstitutionOrder.INDUSTRIALISATION_RATE, "true", True)
    sql = sql.replace("SELECT * FROM (", "SELECT *, count(*) OVER () AS total FROM (", 1)
    result = await session.stream(text(sql), {"limit": cap})
    async for row in result.mappings():
        yield row["total"], _institution(row)


async def patent_table(
    session: AsyncSession, institution_uscc: str | None, cap: int
) -> AsyncIterator[tuple[int, PatentOutcomes]]:
    """The patents (of one institution, or all) that were inventoried or pushed, in
    application number order, at most ``cap``, each with how many there are in all."""
    scope = "true" if institution_uscc is None else _OF_INSTITUTION
    sql = (
        "SELECT *, count(*) OVER () AS total FROM ("  # noqa: S608 - the module's own fragments; values are bound
        + _patents_sql(scope)
        + " AND (p.inventoried OR f.pushed > 0)) t ORDER BY application_number LIMIT :limit"
    )
    params: dict[str, Any] = {"limit": cap}
    if institution_uscc is not None:
        params["uscc"] = institution_uscc
    result = await session.stream(text(sql), params)
    async for row in result.mappings():
        yield row["total"], _patent(row)
