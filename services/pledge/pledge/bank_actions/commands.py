"""What the pledgee bank records on a pledge: its review, changes, the loan, consents."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from shared.domain.terms import ConsentSubject


@dataclass(frozen=True)
class ApprovePledge:
    pledge_id: str
    approved_on: date


@dataclass(frozen=True)
class RefusePledge:
    pledge_id: str
    reason: str


@dataclass(frozen=True)
class RequestCorrection:
    pledge_id: str
    reason: str


@dataclass(frozen=True)
class ChangePledge:
    """质押登记变更; None leaves a term or a party's data as it is."""

    pledge_id: str
    secured_amount: Decimal | None
    debt_term_end: date | None
    pledgor_name: str | None
    pledgee_name: str | None
    pledgee_uscc: str | None
    changed_on: date


@dataclass(frozen=True)
class DisburseLoan:
    pledge_id: str
    amount: Decimal
    disbursed_on: date


@dataclass(frozen=True)
class RecordRepayment:
    pledge_id: str
    amount: Decimal
    repaid_on: date


@dataclass(frozen=True)
class ReportOverdue:
    pledge_id: str
    overdue_since: date


@dataclass(frozen=True)
class ReportDefault:
    pledge_id: str
    defaulted_on: date


@dataclass(frozen=True)
class RecordConsent:
    pledge_id: str
    consent_to: ConsentSubject
    counterparty_uscc: str | None
    document_sha256: str | None
    recorded_on: date
