"""What the deal use cases are asked to do."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from license.domain.deal import (
    DealState,
)
from license.domain.offer import (
    DealParty,
    DealSubject,
    Proposal,
)


@dataclass(frozen=True)
class OpenDeal:
    """Open a negotiation on a patent with a first offer to ``counterparty``."""

    application_number: str
    subject: DealSubject
    counterparty: DealParty
    proposal: Proposal
    expires_at: datetime


@dataclass(frozen=True)
class MakeOffer:
    """A counter-offer (or a new offer once the open one was answered)."""

    deal_id: str
    proposal: Proposal
    expires_at: datetime


@dataclass(frozen=True)
class AnswerOffer:
    """Accept (by its addressee) or withdraw (by its author) one offer."""

    deal_id: str
    offer_id: str


@dataclass(frozen=True)
class SignContract:
    """A party's signed contract document (the request body as sent)."""

    deal_id: str
    content: bytes
    content_type: str


@dataclass(frozen=True)
class RecordOfficeRecordal:
    """The patent office recorded the transfer registry-sync submitted."""

    deal_id: str
    recordal_number: str
    recorded_on: date


@dataclass(frozen=True)
class RecordTransferRecordal:
    """The patent office recorded the transfer (the operator enters its notice)."""

    deal_id: str
    recordal_number: str
    recorded_on: date


@dataclass(frozen=True)
class ListDeals:
    """One page of deals, newest first, after ``after`` (created at, id)."""

    limit: int
    after: tuple[datetime, str] | None
    application_number: str | None
    state: DealState | None
