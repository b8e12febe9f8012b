"""Listing's domain rules and row mapping, without a database."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from listing import mapping
from listing.domain.declaration import DeclarationStatus, OpenLicenseDeclaration
from listing.domain.encumbrance import consents_to_transfer
from listing.domain.patent import (
    PartyType,
    Patent,
    Patentee,
    check_shares,
    check_term_adjustment,
)
from listing.domain.terms import LicenseTerms, RoyaltyBase, RoyaltySchedule
from shared.domain import ApplicationNumber, PatentType
from shared.domain.terms import PaymentMode, ReportingPeriod

AT = datetime(2026, 3, 1, tzinfo=UTC)


def _patent() -> Patent:
    number = ApplicationNumber.parse("201710601862.3")
    return Patent(
        application_number=number,
        patent_type=number.patent_type,
        title="一种锂离子电池健康状态在线检测方法",
        filing_date=date(2017, 7, 21),
        patentees=[
            Patentee("清华大学", "12100000400000624D", Decimal("100"), PartyType.UNIVERSITY)
        ],
    )


def _terms(**changes: object) -> LicenseTerms:
    given: dict[str, object] = {
        "payment_mode": PaymentMode.ENTRY_FEE_PLUS_ROYALTY,
        "term_start": date(2026, 1, 1),
        "term_end": date(2030, 12, 31),
        "entry_fee": Decimal("100000"),
        "royalty_base": RoyaltyBase.NET_SALES,
        "royalty_rate": Decimal("2.50"),
        "royalty_schedule": RoyaltySchedule(ReportingPeriod.QUARTERLY, 30),
    }
    return LicenseTerms(**(given | changes))  # type: ignore[arg-type]


def _declaration(status: DeclarationStatus) -> OpenLicenseDeclaration:
    return OpenLicenseDeclaration(
        id="d1",
        application_number="201710601862.3",
        declarant_org_id="org",
        declarant_uscc="12100000400000624D",
        terms=_terms(),
        status=status,
        announced_at=AT,
    )


def test_shares_add_up_to_100() -> None:
    check_shares([Decimal("60"), Decimal("40")])
    with pytest.raises(ValueError, match="patentee shares must add up to 100, not 90"):
        check_shares([Decimal("60"), Decimal("30")])


def test_only_an_invention_has_its_term_adjusted() -> None:
    check_term_adjustment(PatentType.INVENTION, 30)
    check_term_adjustment(PatentType.UTILITY_MODEL, 0)
    with pytest.raises(ValueError, match="inventions only"):
        check_term_adjustment(PatentType.UTILITY_MODEL, 30)


def test_the_up_front_price_of_each_payment_mode() -> None:
    assert _terms().up_front_price() == Decimal("100000")
    free = _terms(
        payment_mode=PaymentMode.FREE,
        entry_fee=None,
        royalty_base=None,
        royalty_rate=None,
        royalty_schedule=None,
    )
    assert free.up_front_price() == Decimal("0")
    lump_sum = _terms(payment_mode=PaymentMode.LUMP_SUM, entry_fee=None, lump_sum_fee=Decimal(0))
    assert lump_sum.up_front_price() == Decimal(0)
    assert _terms(payment_mode=PaymentMode.RUNNING_ROYALTY, entry_fee=None).up_front_price() is None


def test_a_declaration_announced_after_an_act_is_suspended_and_comes_back() -> None:
    declaration = _declaration(DeclarationStatus.ANNOUNCED)
    assert declaration.announced_after(AT - timedelta(seconds=1))
    assert not declaration.announced_after(AT)
    assert declaration.suspend("pledge-1", "pledged first")
    assert (declaration.status, declaration.suspended_by) == (
        DeclarationStatus.SUSPENDED,
        "pledge-1",
    )
    assert not declaration.suspend("pledge-2", "again")
    assert declaration.reinstate("pledgee consented")
    assert (declaration.status, declaration.suspended_by, declaration.status_reason) == (
        DeclarationStatus.ANNOUNCED,
        None,
        "pledgee consented",
    )


def test_expiry_names_the_end_of_the_term() -> None:
    declaration = _declaration(DeclarationStatus.WITHDRAWAL_REQUESTED)
    assert declaration.expire(AT)
    assert declaration.status is DeclarationStatus.EXPIRED
    assert declaration.status_reason == "the declared term ended on 2030-12-31"
    assert not declaration.expire(AT)


def test_a_pledgee_consents_to_one_transferee_or_any() -> None:
    assert consents_to_transfer(["A"], {"A", "B"})
    assert consents_to_transfer([""], {"A"})
    assert not consents_to_transfer(["C"], {"A"})
    assert not consents_to_transfer([], {"A"})


def test_terms_are_stored_with_money_in_fen_and_rates_as_written() -> None:
    document = mapping.terms_document(_terms())
    assert document["entry_fee"] == "100000.00"
    assert document["royalty_rate"] == "2.5"
    assert document["royalty_schedule"] == {
        "period": "quarterly",
        "due_days_after_period": 30,
        "annual_due": None,
    }
    assert mapping.terms_document(mapping.to_terms(document)) == document


def test_a_patent_row_maps_back_to_the_same_patent() -> None:
    patent = _patent()
    patent.offer(PaymentMode.FREE, Decimal("0"))
    record = mapping.patent_record(patent, "org", AT)
    assert mapping.to_patent(record) == patent
    assert "free" in " ".join(record.facet_keys)
