"""Coverage's domain rules: who holds a patent, its regions, rates (no infrastructure)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from listing.domain.coverage import CoverageFigures
from listing.domain.holding import holdings_of, region_levels
from listing.domain.patent import LegalStatus, PartyType, Patent, Patentee
from shared.domain import ApplicationNumber, PatentType


@pytest.mark.parametrize(
    ("code", "levels"),
    [
        ("440305", ("440000", "440300")),  # Shenzhen, Nanshan
        ("440300", ("440000", "440300")),
        ("440000", ("440000", None)),  # province level only: no city
        ("110108", ("110000", "110100")),  # Beijing's districts: the municipality's 1101
        ("500229", ("500000", "500200")),  # Chongqing's counties: 5002, as coded
        ("429004", ("420000", "429000")),  # Xiantao, governed by Hubei directly
        (None, (None, None)),
        ("990000", (None, None)),  # not a province: unknown, not a guess
    ],
)
def test_a_region_code_gives_its_province_and_city(
    code: str | None, levels: tuple[str | None, str | None]
) -> None:
    assert region_levels(code) == levels


def _patent(*patentees: Patentee, status: LegalStatus = LegalStatus.VALID) -> Patent:
    return Patent(
        application_number=ApplicationNumber.parse("201710601862.3"),
        patent_type=PatentType.INVENTION,
        title="一种锂离子电池健康状态在线检测方法",
        filing_date=date(2017, 7, 21),
        patentees=list(patentees),
        region_code="440305",
        legal_status=status,
    )


def test_each_institutional_co_owner_holds_the_patent_and_one_holding_counts_it() -> None:
    university = Patentee("清华大学", "12100000400000624D", Decimal(40), PartyType.UNIVERSITY)
    institute = Patentee(
        "中国科学院", "12100000400000000X", Decimal(30), PartyType.RESEARCH_INSTITUTE
    )
    company = Patentee("某科技公司", "91440300MA5F000000", Decimal(30), PartyType.ENTERPRISE)
    holdings = holdings_of(_patent(company, university, institute))
    assert [(h.uscc, h.counted) for h in holdings] == [
        (university.uscc, True),
        (institute.uscc, False),
    ]
    assert {(h.province, h.city, h.valid) for h in holdings} == {("440000", "440300", True)}
    lapsed = holdings_of(_patent(university, status=LegalStatus.LAPSED))
    assert [h.valid for h in lapsed] == [False]
    assert holdings_of(_patent(company)) == []


def test_rates_are_fractions_of_the_valid_patents_to_four_decimals() -> None:
    figures = CoverageFigures(valid=3, inventoried=2, evaluated=1, tiered=0)
    assert figures.inventoried_rate == Decimal("0.6667")
    assert figures.evaluated_rate == Decimal("0.3333")
    assert figures.tiered_rate == Decimal("0.0000")
    assert CoverageFigures(valid=0, inventoried=0, evaluated=0, tiered=0).inventoried_rate is None
