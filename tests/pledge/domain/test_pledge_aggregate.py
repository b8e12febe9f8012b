"""The pledge aggregate's loan and change rules, and its row mapping: no infrastructure."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from pledge import mapping
from pledge.domain.errors import (
    AlreadyDisbursed,
    ChangeEmpty,
    DebtTermPastExpiry,
    DisbursementExceedsSecuredAmount,
    InvalidTransition,
    NothingOutstanding,
    RepaymentExceedsOutstanding,
)
from pledge.domain.pledge import CancellationReason, Pledge, PledgeStatus
from pledge.domain.precheck import PatentView
from pledge.models import PledgeRecord


def registered(**changes: object) -> Pledge:
    pledge = Pledge(
        id="p-1",
        status=PledgeStatus.REGISTERED,
        pledgor_org_id="org-a",
        pledgor_name="甲公司",
        pledgor_uscc=None,
        pledgee_org_id="bank-b",
        pledgee_name="乙银行",
        pledgee_uscc=None,
        secured_amount=Decimal("1000000.00"),
        currency="CNY",
        debt_term_end=date(2028, 6, 30),
        has_forfeiture_clause=False,
        co_owner_consents=[],
        application_numbers=["202010345672.1"],
        created_at=datetime(2026, 3, 1, tzinfo=UTC),
    )
    for name, value in changes.items():
        setattr(pledge, name, value)
    return pledge


def test_a_loan_is_disbursed_once_and_at_most_the_secured_amount() -> None:
    pledge = registered()
    with pytest.raises(DisbursementExceedsSecuredAmount):
        pledge.disburse(Decimal("1000000.01"), date(2026, 3, 2))
    pledge.disburse(Decimal("600000.00"), date(2026, 3, 2))
    assert pledge.outstanding_amount == Decimal("600000.00")
    with pytest.raises(AlreadyDisbursed):
        pledge.disburse(Decimal("1.00"), date(2026, 3, 3))


def test_the_last_repayment_clears_the_overdue_date() -> None:
    pledge = registered(outstanding_amount=Decimal("100.00"), overdue_since=date(2026, 5, 1))
    with pytest.raises(RepaymentExceedsOutstanding):
        pledge.repay(Decimal("100.01"))
    pledge.repay(Decimal("40.00"))
    assert pledge.overdue_since == date(2026, 5, 1)
    pledge.repay(Decimal("60.00"))
    assert (pledge.outstanding_amount, pledge.overdue_since) == (Decimal(0), None)
    with pytest.raises(NothingOutstanding):
        pledge.repay(Decimal("1.00"))


def test_a_default_needs_outstanding_principal_and_a_registered_pledge() -> None:
    with pytest.raises(NothingOutstanding):
        registered().default(date(2026, 9, 1))
    with pytest.raises(InvalidTransition):
        registered(status=PledgeStatus.SUBMITTED).default(date(2026, 9, 1))
    pledge = registered(outstanding_amount=Decimal("5.00"))
    assert pledge.default(date(2026, 9, 1)) == Decimal("5.00")
    assert pledge.status is PledgeStatus.DEFAULTED


def test_a_change_names_what_changed_and_refuses_nothing_new() -> None:
    view = PatentView("202010345672.1", "t", (), date(2030, 1, 1), "valid", "paid")
    pledge = registered()
    with pytest.raises(ChangeEmpty):
        pledge.change(
            secured_amount=pledge.secured_amount,
            debt_term_end=None,
            parties={"pledgee_name": "乙银行"},
            views={},
        )
    with pytest.raises(DebtTermPastExpiry):
        pledge.change(
            secured_amount=None,
            debt_term_end=date(2031, 1, 1),
            parties={},
            views={view.application_number: view},
        )
    changed = pledge.change(
        secured_amount=Decimal("2.00"),
        debt_term_end=None,
        parties={"pledgor_name": None, "pledgee_name": "丙银行"},
        views={},
    )
    assert changed == ["secured_amount", "pledgee_name"]
    assert (pledge.status, pledge.change_count) == (PledgeStatus.REGISTERED, 1)


def test_a_pledge_survives_its_row_mapping_unchanged() -> None:
    pledge = registered(
        cancellation_reason=CancellationReason.REPAID,
        registered_at=datetime(2026, 3, 5, tzinfo=UTC),
    )
    row = PledgeRecord(**mapping.pledge_columns(pledge))
    assert row.status == "registered"
    assert row.cancellation_reason == "repaid"
    assert mapping.pledge_of(row) == pledge
