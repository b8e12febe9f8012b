"""How figures are asked for: a measure, up to two dimensions to group by, a range of
months and filters, and whose figures the caller may read."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from ip_statistics.domain.attributes import uscc_key
from ip_statistics.domain.errors import FiguresNotYours, ParameterInvalid
from ip_statistics.domain.measures import BY_KEY, MEASURES, PLEDGES, Measure
from shared.domain.industry import GBT4754_DIVISIONS

DIMENSIONS = (
    "month",
    "province",
    "city",
    "industry_section",
    "industry_division",
    "party_type",
    "detail",
)
# Of the patents' first patentee (listing's PatenteeRef.party_type).
PARTY_TYPES = ("university", "research_institute", "enterprise", "individual")
INSTITUTIONS = ("university", "research_institute")
MAX_GROUP_BY = 2
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


class Reach(StrEnum):
    """How much of the figures a caller reads."""

    ALL = "all"  # regulators and the operator
    OWNED = "owned"  # a patentee: the patents whose patentees include it
    PLEDGEE = "pledgee"  # a bank: the pledges where it is the pledgee


@dataclass(frozen=True)
class Viewer:
    reach: Reach
    org_id: str
    # A patentee owns the patents whose patentees name its org id or its USCC.
    uscc: str | None = None


READERS: dict[str, Reach] = {
    "regulator": Reach.ALL,
    "operator": Reach.ALL,
    "university": Reach.OWNED,
    "research_institute": Reach.OWNED,
    "enterprise": Reach.OWNED,
    "individual": Reach.OWNED,
    "bank": Reach.PLEDGEE,
}


def viewer(org_type: str, org_id: str, uscc: str | None = None) -> Viewer:
    reach = READERS.get(org_type)
    if reach is None:
        raise FiguresNotYours(f"organisation type {org_type} reads no statistics")
    return Viewer(reach, org_id, uscc_key(uscc) if uscc and uscc.strip() else None)


def readable_measures(who: Viewer) -> list[Measure]:
    """The measures whose figures the viewer reads, in the catalogue's order."""
    return [m for m in MEASURES if who.reach is not Reach.PLEDGEE or m.key == PLEDGES]


def check_measure_readable(who: Viewer, measure: Measure) -> None:
    if who.reach is Reach.PLEDGEE and measure.key != PLEDGES:
        raise FiguresNotYours(f"measure: a bank reads the {PLEDGES} figures only")


@dataclass(frozen=True)
class Filters:
    region: str | None = None  # 2, 4 or 6 digits: a prefix of the region code
    industry_section: str | None = None
    industry_division: str | None = None
    party_type: str | None = None


@dataclass(frozen=True)
class FigureQuery:
    measure: Measure
    group_by: tuple[str, ...]
    first_month: date  # the first day of the first month
    last_month: date  # the first day of the last month (included)
    filters: Filters

    @property
    def end(self) -> date:
        """The first day after the last month."""
        return next_month(self.last_month)


def next_month(day: date) -> date:
    return date(day.year + 1, 1, 1) if day.month == 12 else date(day.year, day.month + 1, 1)


def month_text(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def parse_measure(raw: str) -> Measure:
    found = BY_KEY.get(raw)
    if found is None:
        raise ParameterInvalid("measure", f"unknown measure {raw!r}; one of {', '.join(BY_KEY)}")
    return found


def parse_group_by(raw: str | None) -> tuple[str, ...]:
    if raw is None or not raw.strip():
        return ()
    names = tuple(part.strip() for part in raw.split(","))
    for name in names:
        if name not in DIMENSIONS:
            raise ParameterInvalid(
                "group_by", f"unknown dimension {name!r}; any of {', '.join(DIMENSIONS)}"
            )
    if len(names) > MAX_GROUP_BY:
        raise ParameterInvalid("group_by", f"at most {MAX_GROUP_BY} dimensions")
    if len(set(names)) != len(names):
        raise ParameterInvalid("group_by", "a dimension appears twice")
    return names


def parse_month(field: str, raw: str) -> date:
    match = _MONTH.match(raw)
    if match is None:
        raise ParameterInvalid(field, f"{raw!r} is not a month (YYYY-MM)")
    return date(int(match[1]), int(match[2]), 1)


def parse_region(raw: str | None) -> str | None:
    """A region filter: a province (2 digits), a city (4) or a county (6); a six-digit
    code ending in ``00`` pairs means its province or city."""
    if raw is None:
        return None
    code = raw.strip()
    if not code.isascii() or not code.isdigit() or len(code) not in (2, 4, 6):
        raise ParameterInvalid("region", f"{raw!r} is not 2, 4 or 6 digits of GB/T 2260")
    while len(code) > 2 and code.endswith("00"):
        code = code[:-2]
    return code


def parse_industry(raw: str | None) -> tuple[str | None, str | None]:
    """A section letter (``C``) or a division (``C38``) of GB/T 4754-2017."""
    if raw is None:
        return None, None
    code = raw.strip().upper()
    section = code[:1]
    if section not in GBT4754_DIVISIONS or len(code) not in (1, 3):
        raise ParameterInvalid(
            "industry", f"{raw!r} is not a GB/T 4754 section (C) or division (C38)"
        )
    if len(code) == 1:
        return section, None
    low, high = GBT4754_DIVISIONS[section]
    if not code[1:].isdigit() or not low <= int(code[1:]) <= high:
        raise ParameterInvalid("industry", f"{raw!r}: section {section} has no such division")
    return None, code


def parse_party_type(raw: str | None) -> str | None:
    if raw is not None and raw not in PARTY_TYPES:
        raise ParameterInvalid("party_type", f"{raw!r}; one of {', '.join(PARTY_TYPES)}")
    return raw


def figure_query(
    *,
    measure: str,
    group_by: str | None,
    first: str | None,
    last: str | None,
    region: str | None,
    industry: str | None,
    party_type: str | None,
    today: date,
) -> FigureQuery:
    """The query the parameters ask for; ``from`` defaults to January of this year and
    ``to`` to this month (Asia/Shanghai)."""
    found = parse_measure(measure)
    dims = parse_group_by(group_by)
    this_month = date(today.year, today.month, 1)
    first_month = parse_month("from", first) if first is not None else date(today.year, 1, 1)
    last_month = parse_month("to", last) if last is not None else this_month
    if first_month > last_month:
        raise ParameterInvalid("from", f"{month_text(first_month)} is after `to`")
    section, division = parse_industry(industry)
    filters = Filters(parse_region(region), section, division, parse_party_type(party_type))
    return FigureQuery(found, dims, first_month, last_month, filters)
