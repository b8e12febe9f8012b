"""Events to facts and attributes (domain/facts.py, domain/attributes.py), and the query
parameters (domain/query.py): no infrastructure."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from ip_statistics.domain.attributes import attributes_of, merged
from ip_statistics.domain.errors import FiguresNotYours, ParameterInvalid
from ip_statistics.domain.facts import Fact, by_conflict, day_of, fact_of
from ip_statistics.domain.measures import BY_KEY, MEASURES, Conflict
from ip_statistics.domain.provinces import PROVINCE_NAMES, place
from ip_statistics.domain.query import (
    check_measure_readable,
    figure_query,
    parse_industry,
    parse_region,
    viewer,
)
from shared.domain.region import PROVINCE_CODES

T = datetime(2026, 3, 31, 17, 30, tzinfo=UTC)  # 1 April in Shanghai
EVENT = "cn.ipmarket."


def test_an_instant_counts_on_its_date_in_shanghai() -> None:
    assert day_of(T) == date(2026, 4, 1)
    assert day_of("2026-03-31T15:59:59Z") == date(2026, 3, 31)


def test_a_pledge_counts_its_first_patent_its_bank_and_its_secured_amount() -> None:
    fact = fact_of(
        EVENT + "pledge.pledge.registered.v1",
        "e1",
        T,
        {
            "pledge_id": "PL1",
            "application_numbers": ["201710601862.3", "201810601862.1"],
            "pledgee": {"org_id": "bank-1", "name": "某银行"},
            "secured_amount": "1500000.00",
            "registered_on": "2026-03-02",
        },
    )
    assert fact == Fact(
        "pledges",
        "PL1",
        "e1",
        date(2026, 3, 2),
        T,
        "201710601862.3",
        party_org_id="bank-1",
        amount=Decimal("1500000.00"),
    )


def test_a_pledge_change_amends_and_a_registration_replaces() -> None:
    changed = fact_of(
        EVENT + "pledge.pledge.changed.v1",
        "e2",
        T,
        {
            "pledge_id": "PL1",
            "application_numbers": ["201710601862.3"],
            "pledgee": {"org_id": "bank-1", "name": "某银行"},
            "secured_amount": "9.00",
            "changed_on": "2026-05-01",
        },
    )
    assert changed is not None
    assert (changed.conflict, changed.amount) == (Conflict.AMEND, Decimal("9.00"))
    registered = fact_of(
        EVENT + "registry.tech_contract.registered.v1",
        "e3",
        T,
        {
            "registration_id": "R1",
            "application_number": "201710601862.3",
            "source_kind": "transfer",
            "registered_on": "2026-03-03",
            "certified_contract_value": "100.00",
            "certified_technology_value": "80.00",
        },
    )
    assert registered is not None
    assert registered.conflict is Conflict.LATEST
    assert (registered.detail, registered.amount, registered.tech_amount) == (
        "transfer",
        Decimal("100.00"),
        Decimal("80.00"),
    )


@pytest.mark.parametrize(
    ("data", "detail"),
    [({"declaration_id": "D1", "kind": "ordinary"}, "open"), ({"kind": "sole"}, "sole")],
)
def test_a_licence_is_open_when_it_names_a_declaration(data: dict, detail: str) -> None:
    fact = fact_of(
        EVENT + "license.license.granted.v1",
        "e",
        T,
        {"license_id": "L", "application_number": "A", "effective_date": "2026-01-02", **data},
    )
    assert fact is not None
    assert (fact.detail, fact.amount, fact.effective_on) == (detail, None, date(2026, 1, 2))


def test_a_withdrawn_tier_and_an_unknown_type_count_nothing() -> None:
    tier = {"application_number": "A", "tier": None}
    assert fact_of(EVENT + "listing.inventory.tier_changed.v1", "e", T, tier) is None
    assert fact_of(EVENT + "license.filing.due.v1", "e", T, {}) is None
    # The registry's copy of a filing is not counted: license's is (docs/statistics.md).
    assert fact_of(EVENT + "registry.license_filing.registered.v1", "e", T, {}) is None


def _fact(key: str, on: date, at: datetime, conflict: Conflict, amount: str) -> Fact:
    return Fact("m", key, key + str(on), on, at, "A", conflict=conflict, amount=Decimal(amount))


def test_a_batch_keeps_one_fact_per_act_as_the_database_would() -> None:
    early, late = datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 2, 1, tzinfo=UTC)
    kept = by_conflict(
        [
            _fact("k", date(2026, 3, 1), early, Conflict.FIRST, "1"),
            _fact("k", date(2026, 2, 1), late, Conflict.FIRST, "2"),  # earlier act: wins
            _fact("k", date(2026, 4, 1), late, Conflict.FIRST, "3"),
            _fact("r", date(2026, 3, 1), late, Conflict.LATEST, "4"),
            _fact("r", date(2026, 1, 1), early, Conflict.LATEST, "5"),  # older: loses
            _fact("k", date(2026, 5, 1), late, Conflict.AMEND, "6"),
        ]
    )
    assert [f.amount for f in kept[Conflict.FIRST]] == [Decimal("2")]
    assert [f.amount for f in kept[Conflict.LATEST]] == [Decimal("4")]
    assert [f.amount for f in kept[Conflict.AMEND]] == [Decimal("6")]


def test_a_patents_attributes_and_the_newest_statement_of_each_group() -> None:
    registered = attributes_of(
        EVENT + "listing.patent.registered.v1",
        datetime(2026, 1, 1, tzinfo=UTC),
        {
            "application_number": "A",
            "region_code": "440305",
            "industry_codes": ["C3841", "I65"],
            "patentees": [
                {"org_id": "u1", "party_type": "university", "name": "甲"},
                {"org_id": None, "party_type": "individual", "name": "乙", "uscc": None},
                {"party_type": "university", "name": "丁", "uscc": " 12100000400000624x"},
                {"org_id": "e1", "party_type": "enterprise", "name": "丙"},
            ],
        },
    )
    assert registered is not None
    assert (registered.province_code, registered.city_code) == ("440000", "440300")
    assert (registered.industry_section, registered.industry_division) == ("C", "C38")
    assert (registered.party_type, registered.owner_org_ids) == ("university", ("u1", "e1"))
    assert registered.owner_usccs == ("12100000400000624X",)
    newer_owner = attributes_of(
        EVENT + "listing.patent.owner_changed.v1",
        datetime(2026, 3, 1, tzinfo=UTC),
        {
            "application_number": "A",
            "patentees": [
                {"org_id": "e2", "uscc": "91440300MA5F000010", "party_type": "enterprise"}
            ],
        },
    )
    # A restatement of what held in February arrives after the March owner change.
    restated = attributes_of(
        EVENT + "listing.patent.restated.v1",
        datetime(2026, 6, 1, tzinfo=UTC),
        {
            "application_number": "A",
            "as_of": "2026-02-01T00:00:00+00:00",
            "region_code": "110108",
            "industry_codes": [],
            "patentees": [{"org_id": "u1", "party_type": "university"}],
        },
    )
    assert newer_owner is not None
    assert restated is not None
    [one] = merged([registered, newer_owner, restated])
    # March's owners stand, named both ways.
    assert (one.owner_org_ids, one.owner_usccs) == (("e2",), ("91440300MA5F000010",))
    assert one.province_code == "110000"  # February's place is newer than January's
    assert one.industry_section is None


def test_every_province_is_named_and_bad_codes_place_nowhere() -> None:
    assert len(PROVINCE_NAMES) == 34
    assert {code[:2] for code in PROVINCE_NAMES} == PROVINCE_CODES
    assert place("110000") == ("110000", "110000", None)
    assert place("990101") == (None, None, None)
    assert place(None) == (None, None, None)
    assert place("44030") == (None, None, None)


def test_measures_have_unique_keys() -> None:
    assert len({m.key for m in MEASURES}) == len(MEASURES)


def test_query_parameters() -> None:
    query = figure_query(
        measure="pledges",
        group_by="month, province",
        first=None,
        last=None,
        region="440000",
        industry="c",
        party_type=None,
        today=date(2026, 12, 7),
    )
    assert query.group_by == ("month", "province")
    assert (query.first_month, query.last_month, query.end) == (
        date(2026, 1, 1),
        date(2026, 12, 1),
        date(2027, 1, 1),
    )
    assert (query.filters.region, query.filters.industry_section) == ("44", "C")
    assert parse_region("4403") == "4403"
    assert parse_industry("C38") == (None, "C38")
    with pytest.raises(ParameterInvalid) as refused:
        parse_industry("A06")
    assert refused.value.field == "industry"


def test_who_reads_what() -> None:
    with pytest.raises(FiguresNotYours):
        viewer("exchange", "x")
    bank = viewer("bank", "b")
    check_measure_readable(bank, BY_KEY["pledges"])
    with pytest.raises(FiguresNotYours):
        check_measure_readable(bank, BY_KEY["transfers"])
