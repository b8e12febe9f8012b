"""Negotiated deals (协商交易): a licence or a transfer of a patent, offered by either
side, countered, agreed, signed by both parties, then in effect (a licence) or recorded
by the patent office (a transfer, 专利权转让登记).

States::

    negotiating --accept--> agreed --both sign--> effective            (licence)
         |                    |                \\-> awaiting_recordal --> recorded (transfer)
         +-> withdrawn        +-> failed (the patent lapsed or changed owner)
         +-> expired (the open offer's expires_at passed; read from the clock)

One side is a patentee of the patent (offering, or asked); the other is the
counterparty (the licensee, or the transferee). Exactly one offer is open while the
deal is negotiated: a counter-offer by the party it is addressed to supersedes it, and
its author may withdraw it, which ends the negotiation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from license.domain.declaration import Patentee
from license.domain.errors_deals import (
    AlreadySigned,
    DealFailedAlready,
    DealNotNegotiating,
    NotAgreed,
    NotAwaitingRecordal,
    NotOfferAddressee,
    NotOfferAuthor,
    NotYourTurn,
    OfferExpired,
    OfferInvalid,
    OfferNotOpen,
    OfferUnknown,
)
from license.domain.offer import (
    DealParty,
    DealSubject,
    LicenseProposal,
    Proposal,
    TransferProposal,
)


class DealState(StrEnum):
    NEGOTIATING = "negotiating"
    AGREED = "agreed"
    EFFECTIVE = "effective"
    AWAITING_RECORDAL = "awaiting_recordal"
    RECORDED = "recorded"
    FAILED = "failed"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"


# Agreed but not yet in effect (or recorded): the scope is reserved, a lapse fails it.
PENDING_STATES = frozenset({DealState.AGREED, DealState.AWAITING_RECORDAL})
UNFINISHED_STATES = PENDING_STATES | {DealState.NEGOTIATING}


class Side(StrEnum):
    PATENTEE = "patentee"
    COUNTERPARTY = "counterparty"

    @property
    def other(self) -> Side:
        return Side.COUNTERPARTY if self is Side.PATENTEE else Side.PATENTEE


class OfferState(StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"
    WITHDRAWN = "withdrawn"
    SUPERSEDED = "superseded"


@dataclass
class Offer:
    id: str
    author: Side
    proposal: Proposal
    expires_at: datetime
    made_at: datetime
    state: OfferState = OfferState.OPEN

    def expired(self, now: datetime) -> bool:
        return self.state is OfferState.OPEN and now >= self.expires_at


@dataclass(frozen=True)
class Signature:
    """A party's signed contract document, kept as evidence with its SHA-256."""

    id: str
    side: Side
    signer_org_id: str
    signer_name: str
    sha256: str
    content_type: str
    size: int
    signed_at: datetime


@dataclass
class Deal:
    id: str
    application_number: str
    patent_number: str
    subject: DealSubject
    # The patentees when the deal was opened: the licensors or transferors.
    owners: tuple[Patentee, ...]
    patentee: DealParty
    counterparty: DealParty
    opened_by: Side
    state: DealState = DealState.NEGOTIATING
    offers: list[Offer] = field(default_factory=list)
    signatures: list[Signature] = field(default_factory=list)
    failure_reason: str | None = None
    license_id: str | None = None
    recordal_number: str | None = None
    recorded_on: date | None = None
    agreed_at: datetime | None = None
    created_at: datetime | None = None

    # -- reading --------------------------------------------------------------------------

    def state_at(self, now: datetime) -> DealState:
        """The state a reader sees: a negotiation whose open offer expired is over."""
        offer = self.open_offer
        if self.state is DealState.NEGOTIATING and offer is not None and offer.expired(now):
            return DealState.EXPIRED
        return self.state

    @property
    def open_offer(self) -> Offer | None:
        return next((o for o in self.offers if o.state is OfferState.OPEN), None)

    @property
    def agreed_offer(self) -> Offer | None:
        return next((o for o in self.offers if o.state is OfferState.ACCEPTED), None)

    def party(self, side: Side) -> DealParty:
        return self.patentee if side is Side.PATENTEE else self.counterparty

    def side_of(self, org_id: str, uscc: str | None) -> Side | None:
        for side in (Side.PATENTEE, Side.COUNTERPARTY):
            party = self.party(side)
            if (uscc is not None and party.uscc == uscc) or party.org_id == org_id:
                return side
        return None

    # -- negotiating ----------------------------------------------------------------------

    def make_offer(self, offer: Offer, now: datetime) -> None:
        """The first offer, or a counter-offer by the party the open one is addressed
        to (it supersedes it)."""
        self._negotiating(now)
        current = self.open_offer
        if current is not None:
            if current.author is offer.author:
                raise NotYourTurn(
                    f"offer {current.id} of the {offer.author.value} is open in deal {self.id}; "
                    "withdraw it before making another, or wait for the other party's answer"
                )
            current.state = OfferState.SUPERSEDED
        self.offers.append(offer)

    def accept(self, offer_id: str, by: Side, now: datetime) -> Offer:
        """Accept the open offer addressed to ``by``: the deal is agreed."""
        offer = self._offer(offer_id)
        if offer.author is by:
            raise NotOfferAddressee(
                f"offer {offer_id} was made by the {by.value}; only the "
                f"{by.other.value} it is addressed to may accept it"
            )
        self._failed_refused()
        if offer.state is not OfferState.OPEN:
            raise OfferNotOpen(
                f"offer {offer_id} is {offer.state.value}; only the open offer can be accepted",
                offer_state=offer.state.value,
            )
        if offer.expired(now):
            raise OfferExpired(
                f"offer {offer_id} expired at {offer.expires_at.isoformat()}; it can no longer "
                "be accepted"
            )
        self._negotiating(now)
        offer.state = OfferState.ACCEPTED
        self.state = DealState.AGREED
        self.agreed_at = now
        return offer

    def withdraw(self, offer_id: str, by: Side, now: datetime) -> None:
        """Its author withdraws the open offer: the negotiation ends."""
        offer = self._offer(offer_id)
        if offer.author is not by:
            raise NotOfferAuthor(
                f"offer {offer_id} was made by the {offer.author.value}; only its author may "
                "withdraw it"
            )
        self._failed_refused()
        if offer.state is not OfferState.OPEN:
            raise OfferNotOpen(
                f"offer {offer_id} is {offer.state.value}; only the open offer can be withdrawn",
                offer_state=offer.state.value,
            )
        self._negotiating(now)
        offer.state = OfferState.WITHDRAWN
        self.state = DealState.WITHDRAWN

    # -- signing and effect ---------------------------------------------------------------

    def sign(self, signature: Signature) -> bool:
        """Keep a party's signature; True when both parties have now signed."""
        self._failed_refused()
        if self.state is not DealState.AGREED:
            raise NotAgreed(f"deal {self.id} is {self.state.value}; only an agreed deal is signed")
        if any(s.side is signature.side for s in self.signatures):
            raise AlreadySigned(
                f"the {signature.side.value} {self.party(signature.side).name} already signed "
                f"deal {self.id}"
            )
        self.signatures.append(signature)
        return {s.side for s in self.signatures} == {Side.PATENTEE, Side.COUNTERPARTY}

    def take_effect(self, license_id: str) -> None:
        """Both signed a licence contract: the licence ``license_id`` is in force."""
        self.license_id = license_id
        self.state = DealState.EFFECTIVE

    def await_recordal(self) -> None:
        """Both signed a transfer contract: it is recorded with the patent office next."""
        self.state = DealState.AWAITING_RECORDAL

    def record(self, recordal_number: str, recorded_on: date, today: date) -> None:
        """The office recorded the transfer (著录项目变更): the transferees own the patent."""
        self._failed_refused()
        if self.state is not DealState.AWAITING_RECORDAL:
            raise NotAwaitingRecordal(
                f"deal {self.id} is {self.state.value}; only a signed transfer awaiting "
                "recordal is recorded"
            )
        if recorded_on > today:
            raise OfferInvalid(f"recorded_on {recorded_on} is after today ({today})")
        self.recordal_number, self.recorded_on = recordal_number, recorded_on
        self.state = DealState.RECORDED

    def fail(self, reason: str) -> bool:
        """The deal cannot go on (the patent lapsed or changed owner); True when it was
        still unfinished."""
        if self.state not in UNFINISHED_STATES:
            return False
        self.state, self.failure_reason = DealState.FAILED, reason
        return True

    @property
    def agreed_license(self) -> LicenseProposal | None:
        offer = self.agreed_offer
        if offer is None or not isinstance(offer.proposal, LicenseProposal):
            return None
        return offer.proposal

    @property
    def agreed_transfer(self) -> TransferProposal | None:
        offer = self.agreed_offer
        if offer is None or not isinstance(offer.proposal, TransferProposal):
            return None
        return offer.proposal

    def _offer(self, offer_id: str) -> Offer:
        offer = next((o for o in self.offers if o.id == offer_id), None)
        if offer is None:
            raise OfferUnknown(f"deal {self.id} has no offer {offer_id}", offer_id=offer_id)
        return offer

    def _failed_refused(self) -> None:
        if self.state is DealState.FAILED:
            raise DealFailedAlready(
                f"deal {self.id} failed: {self.failure_reason}", reason=self.failure_reason
            )

    def _negotiating(self, now: datetime) -> None:
        self._failed_refused()
        state = self.state_at(now)
        if state is DealState.EXPIRED:
            offer = self.open_offer
            assert offer is not None
            raise OfferExpired(
                f"offer {offer.id} of deal {self.id} expired at {offer.expires_at.isoformat()}; "
                "the negotiation is over"
            )
        if state is not DealState.NEGOTIATING:
            raise DealNotNegotiating(
                f"deal {self.id} is {state.value}; offers are made and answered only while it "
                "is negotiated",
                state=state.value,
            )
