"""The reconciliation's matching rules for one filing and one registration (no
infrastructure; the set-based run is tested in test_reconciliation.py)."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest

from registry_sync.domain.reconciliation import (
    Filing,
    FilingType,
    MismatchReason,
    Registration,
    add_months,
    filing_is_due_a_registration,
    filing_type_of,
    pair_mismatches,
    registration_is_due_a_filing,
    same_contract,
    values_differ,
)
from registry_sync.domain.registration import TechContractCategory

pytestmark = pytest.mark.unit

SELLER, BUYER = "121100004000012345", "91440300MA5DC0QX1X"

FILING = Filing(
    reference="licence-1",
    filing_type=FilingType.LICENSE,
    application_number="201710601862.3",
    seller_uscc=SELLER,
    buyer_uscc=BUYER,
    license_kind="ordinary",
    contract_value=Decimal("50000.00"),
    started_on=date(2026, 3, 1),
    filed_on=date(2026, 4, 15),
)
REGISTRATION = Registration(
    id="registration-1",
    category=TechContractCategory.LICENSE,
    application_number="201710601862.3",
    seller_uscc=SELLER,
    buyer_uscc=BUYER,
    license_kind="ordinary",
    contract_value=Decimal("50000.00"),
    certified_contract_value=None,
    signed_on=date(2026, 2, 25),
    effective_date=date(2026, 3, 1),
    registered_on=date(2026, 3, 20),
)


def test_a_clean_pair_matches_and_agrees() -> None:
    assert same_contract(FILING, REGISTRATION)
    assert pair_mismatches(FILING, REGISTRATION) == []


def test_a_transfer_recordal_mirrors_both_transfer_categories_and_nothing_else() -> None:
    assert filing_type_of(TechContractCategory.TRANSFER_PATENT_RIGHT) is FilingType.TRANSFER
    assert filing_type_of(TechContractCategory.TRANSFER_APPLICATION_RIGHT) is FilingType.TRANSFER
    assert filing_type_of(TechContractCategory.LICENSE) is FilingType.LICENSE
    assert filing_type_of(TechContractCategory.CONSULTING) is None
    transfer = dataclasses.replace(FILING, filing_type=FilingType.TRANSFER)
    assert not same_contract(transfer, REGISTRATION)


def test_other_parties_or_an_unknown_uscc_do_not_match() -> None:
    assert not same_contract(
        dataclasses.replace(FILING, buyer_uscc="91440300MA5DC0QX2Y"), REGISTRATION
    )
    unknown = dataclasses.replace(FILING, seller_uscc=None)
    assert not same_contract(unknown, dataclasses.replace(REGISTRATION, seller_uscc=None))


@pytest.mark.parametrize(
    ("filed", "registered", "differ"),
    [
        ("50000.00", "50000.00", False),
        ("50250.00", "50000.00", False),  # 0.5 % of the registration's value
        ("50250.01", "50000.00", True),
        ("100.00", "99.00", False),  # 1 CNY is more than 0.5 % of 99
        ("100.00", "98.99", True),
    ],
)
def test_values_differ_beyond_half_a_percent_or_one_yuan(
    filed: str, registered: str, differ: bool
) -> None:
    assert values_differ(Decimal(filed), Decimal(registered)) is differ


def test_the_certified_value_is_compared_once_certified() -> None:
    certified = dataclasses.replace(REGISTRATION, certified_contract_value=Decimal("40000.00"))
    assert pair_mismatches(FILING, certified) == [MismatchReason.VALUE_DIFFERS]
    unknown = dataclasses.replace(FILING, contract_value=None)
    assert pair_mismatches(unknown, certified) == []


def test_a_licence_kind_differs_only_for_licences() -> None:
    sole = dataclasses.replace(REGISTRATION, license_kind="sole")
    assert pair_mismatches(FILING, sole) == [MismatchReason.KIND_DIFFERS]
    assert pair_mismatches(dataclasses.replace(FILING, license_kind=None), sole) == []


def test_late_filing_is_after_three_months_of_effect() -> None:
    on_time = dataclasses.replace(FILING, filed_on=date(2026, 6, 1))
    late = dataclasses.replace(FILING, filed_on=date(2026, 6, 2))
    assert pair_mismatches(on_time, REGISTRATION) == []
    assert pair_mismatches(late, REGISTRATION) == [MismatchReason.LATE]


def test_late_registration_is_after_thirty_days_of_signing() -> None:
    on_time = dataclasses.replace(REGISTRATION, registered_on=date(2026, 3, 27))
    late = dataclasses.replace(REGISTRATION, registered_on=date(2026, 3, 28))
    assert pair_mismatches(FILING, on_time) == []
    assert pair_mismatches(FILING, late) == [MismatchReason.LATE]
    # Unsigned, its window runs from the effect.
    unsigned = dataclasses.replace(late, signed_on=None)
    assert pair_mismatches(FILING, unsigned) == []


def test_one_pair_may_disagree_on_several_things() -> None:
    registration = dataclasses.replace(
        REGISTRATION, license_kind="exclusive", contract_value=Decimal("1.00")
    )
    late = dataclasses.replace(FILING, filed_on=date(2026, 7, 1))
    assert pair_mismatches(late, registration) == [
        MismatchReason.VALUE_DIFFERS,
        MismatchReason.KIND_DIFFERS,
        MismatchReason.LATE,
    ]


def test_months_are_added_as_postgresql_adds_them() -> None:
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert add_months(date(2027, 11, 30), 3) == date(2028, 2, 29)
    assert add_months(date(2026, 10, 15), 3) == date(2027, 1, 15)


def test_missing_counts_only_once_due() -> None:
    # Effective on 1 March: its registration is due by 31 March, its filing by 1 June.
    assert not filing_is_due_a_registration(FILING, date(2026, 3, 31))
    assert filing_is_due_a_registration(FILING, date(2026, 4, 1))
    assert not registration_is_due_a_filing(REGISTRATION, date(2026, 6, 1))
    assert registration_is_due_a_filing(REGISTRATION, date(2026, 6, 2))
    # A transfer recorded before anyone told us when it was signed: from its recordal.
    unsigned = dataclasses.replace(FILING, started_on=None)
    assert not filing_is_due_a_registration(unsigned, date(2026, 5, 15))
    assert filing_is_due_a_registration(unsigned, date(2026, 5, 16))
