"""Request and response bodies of the deal endpoints."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints, model_validator

from license.api.licenses.schemas import NegotiatedTermsIn
from license.api.schemas import InputModel
from license.domain.deal import (
    Deal,
    Offer,
)
from license.domain.offer import (
    DealParty,
    LicenseProposal,
)
from shared.events.schemas import LicenseKind
from shared.http.types import ApplicationNumberStr, MoneyAmount, UsccStr, VisibleStr

PartyType = Literal["enterprise", "university", "research_institute", "individual"]


class CounterpartyIn(InputModel):
    """The other party of the deal, named by its unified social credit code."""

    name: VisibleStr = Field(max_length=255, examples=["比亚迪股份有限公司"])
    uscc: UsccStr
    org_id: str | None = Field(
        default=None,
        min_length=1,
        max_length=64,
        pattern=r"^[A-Za-z0-9_-]+$",
        description="Its platform organisation id, if known.",
    )
    org_type: PartyType | None = None


class LicenseOfferIn(InputModel):
    """A licence: its kind, its field of use (none: all fields) and its terms (the
    territory is in the terms, 中国大陆 unless said)."""

    kind: LicenseKind = Field(description="ordinary 普通许可 | sole 排他许可 | exclusive 独占许可")
    field_of_use: str | None = Field(default=None, max_length=200)
    terms: NegotiatedTermsIn


class TransfereeIn(InputModel):
    name: VisibleStr = Field(max_length=255)
    uscc: UsccStr
    share: Decimal = Field(gt=0, le=100, description="Share of the patent right, percent.")
    party_type: PartyType = "enterprise"


class TransferOfferIn(InputModel):
    """A transfer of the patent right (专利权转让) for ``price`` CNY."""

    price: MoneyAmount
    transferees: list[TransfereeIn] = Field(min_length=1, max_length=10)


class OfferIn(InputModel):
    """One offer: a licence or a transfer (the deal's kind), open until ``expires_at``
    (at most 90 days ahead)."""

    license: LicenseOfferIn | None = None
    transfer: TransferOfferIn | None = None
    expires_at: datetime = Field(description="With its time zone, e.g. +08:00.")

    @model_validator(mode="after")
    def _one_subject(self) -> OfferIn:
        if (self.license is None) == (self.transfer is None):
            raise ValueError("an offer proposes either a license or a transfer")
        if self.expires_at.tzinfo is None:
            raise ValueError("expires_at needs its time zone (e.g. +08:00)")
        return self


class DealCreate(OfferIn):
    """A first offer on a patent to ``counterparty``."""

    application_number: ApplicationNumberStr
    counterparty: CounterpartyIn


class RecordalIn(InputModel):
    """The patent office's recordal of the transfer (著录项目变更/转让登记)."""

    recordal_number: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)
    ]
    recorded_on: date


class PartyOut(BaseModel):
    name: str
    uscc: str
    org_id: str | None


class OfferOut(BaseModel):
    id: str
    author: str = Field(description="patentee | counterparty")
    state: str = Field(description="open | accepted | withdrawn | superseded | expired")
    license: LicenseOfferIn | None
    transfer: TransferOfferIn | None
    expires_at: datetime
    made_at: datetime


class SignatureOut(BaseModel):
    side: str = Field(description="patentee | counterparty")
    signer_name: str
    sha256: str = Field(description="SHA-256 of the signed contract document, hex.")
    content_type: str
    size: int
    signed_at: datetime


class DealPublic(BaseModel):
    id: str
    application_number: str
    patent_number: str
    deal_type: str = Field(description="license | transfer")
    state: str = Field(
        description="negotiating | agreed | effective | awaiting_recordal | recorded | "
        "failed | withdrawn | expired"
    )
    patentee: PartyOut
    counterparty: PartyOut
    opened_by: str
    failure_reason: str | None
    license_id: str | None = Field(description="The licence in effect (a licence deal).")
    recordal_number: str | None
    recorded_on: date | None
    agreed_at: datetime | None
    created_at: datetime
    offers: list[OfferOut] = Field(description="Oldest first.")
    signatures: list[SignatureOut]

    @classmethod
    def of(cls, deal: Deal, now: datetime) -> DealPublic:
        assert deal.created_at is not None  # a saved deal has it
        return cls(
            id=deal.id,
            application_number=deal.application_number,
            patent_number=deal.patent_number,
            deal_type=deal.subject.value,
            state=deal.state_at(now).value,
            patentee=_party(deal.patentee),
            counterparty=_party(deal.counterparty),
            opened_by=deal.opened_by.value,
            failure_reason=deal.failure_reason,
            license_id=deal.license_id,
            recordal_number=deal.recordal_number,
            recorded_on=deal.recorded_on,
            agreed_at=deal.agreed_at,
            created_at=deal.created_at,
            offers=[_offer_out(o, now) for o in deal.offers],
            signatures=[
                SignatureOut(
                    side=s.side.value,
                    signer_name=s.signer_name,
                    sha256=s.sha256,
                    content_type=s.content_type,
                    size=s.size,
                    signed_at=s.signed_at,
                )
                for s in deal.signatures
            ],
        )


def _offer_out(offer: Offer, now: datetime) -> OfferOut:
    proposal = offer.proposal
    licence = transfer = None
    if isinstance(proposal, LicenseProposal):
        terms = proposal.terms
        licence = LicenseOfferIn.model_validate(
            {
                "kind": proposal.kind,
                "field_of_use": proposal.field_of_use,
                "terms": {
                    "payment_mode": terms.payment_mode,
                    "lump_sum_fee": terms.lump_sum_fee,
                    "entry_fee": terms.entry_fee,
                    "royalty_base": terms.royalty_base,
                    "royalty_rate": terms.royalty_rate,
                    "payment_schedule": terms.payment_schedule,
                    "term_start": terms.term_start,
                    "term_end": terms.term_end,
                    "territory": terms.territory,
                },
            }
        )
    else:
        transfer = TransferOfferIn(
            price=proposal.price,
            transferees=[
                TransfereeIn(
                    name=t.name,
                    uscc=t.uscc or "",
                    share=t.share,
                    party_type=t.party_type,
                )
                for t in proposal.transferees
            ],
        )
    state = "expired" if offer.expired(now) else offer.state.value
    return OfferOut(
        id=offer.id,
        author=offer.author.value,
        state=state,
        license=licence,
        transfer=transfer,
        expires_at=offer.expires_at,
        made_at=offer.made_at,
    )


def _party(party: DealParty) -> PartyOut:
    return PartyOut(name=party.name, uscc=party.uscc, org_id=party.org_id)
