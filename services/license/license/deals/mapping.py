"""Deal rows <-> ``Deal``, written once. Offers live in the deal's row as JSON."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from license.deals.models import DealRecord, DealSignatureRecord
from license.domain.deal import (
    Deal,
    DealState,
    Offer,
    OfferState,
    Side,
    Signature,
)
from license.domain.offer import (
    DealParty,
    DealSubject,
    LicenseProposal,
    Proposal,
    TransferProposal,
)
from license.mapping import patentees, patentees_json, terms_from_json, terms_json
from shared.domain.terms import LicenseKind


def proposal_json(proposal: Proposal) -> dict[str, Any]:
    if isinstance(proposal, LicenseProposal):
        return {
            "license": {
                "kind": proposal.kind.value,
                "field_of_use": proposal.field_of_use,
                "terms": terms_json(proposal.terms),
            }
        }
    return {
        "transfer": {
            "price": str(proposal.price),
            "transferees": patentees_json(proposal.transferees),
        }
    }


def proposal(raw: dict[str, Any]) -> Proposal:
    if "license" in raw:
        licence = raw["license"]
        return LicenseProposal(
            kind=LicenseKind(licence["kind"]),
            terms=terms_from_json(licence["terms"]),
            field_of_use=licence["field_of_use"],
        )
    transfer = raw["transfer"]
    return TransferProposal(
        price=Decimal(transfer["price"]), transferees=patentees(transfer["transferees"])
    )


def _offer_json(offer: Offer) -> dict[str, Any]:
    return {
        "id": offer.id,
        "author": offer.author.value,
        "proposal": proposal_json(offer.proposal),
        "expires_at": offer.expires_at.isoformat(),
        "made_at": offer.made_at.isoformat(),
        "state": offer.state.value,
    }


def _offer(raw: dict[str, Any]) -> Offer:
    return Offer(
        id=raw["id"],
        author=Side(raw["author"]),
        proposal=proposal(raw["proposal"]),
        expires_at=datetime.fromisoformat(raw["expires_at"]),
        made_at=datetime.fromisoformat(raw["made_at"]),
        state=OfferState(raw["state"]),
    )


def signature(record: DealSignatureRecord) -> Signature:
    return Signature(
        id=record.id,
        side=Side(record.side),
        signer_org_id=record.signer_org_id,
        signer_name=record.signer_name,
        sha256=record.sha256,
        content_type=record.content_type,
        size=record.size,
        signed_at=record.signed_at,
    )


def signature_record(deal_id: str, signed: Signature, content: bytes) -> DealSignatureRecord:
    return DealSignatureRecord(
        id=signed.id,
        deal_id=deal_id,
        side=signed.side.value,
        signer_org_id=signed.signer_org_id,
        signer_name=signed.signer_name,
        sha256=signed.sha256,
        content_type=signed.content_type,
        size=signed.size,
        content=content,
        signed_at=signed.signed_at,
    )


def deal(record: DealRecord, signatures: list[DealSignatureRecord]) -> Deal:
    return Deal(
        id=record.id,
        application_number=record.application_number,
        patent_number=record.patent_number,
        subject=DealSubject(record.subject),
        owners=patentees(record.owners),
        patentee=DealParty(
            record.patentee_name,
            record.patentee_uscc,
            record.patentee_org_id,
            record.patentee_org_type,
        ),
        counterparty=DealParty(
            record.counterparty_name,
            record.counterparty_uscc,
            record.counterparty_org_id,
            record.counterparty_org_type,
        ),
        opened_by=Side(record.opened_by),
        state=DealState(record.state),
        offers=[_offer(o) for o in record.offers],
        signatures=[signature(s) for s in signatures],
        failure_reason=record.failure_reason,
        license_id=record.license_id,
        recordal_number=record.recordal_number,
        recorded_on=record.recorded_on,
        agreed_at=record.agreed_at,
        created_at=record.created_at,
    )


def deal_record(deal: Deal, now: datetime) -> DealRecord:
    record = DealRecord(
        id=deal.id,
        application_number=deal.application_number,
        patent_number=deal.patent_number,
        subject=deal.subject.value,
        owners=patentees_json(deal.owners),
        patentee_name=deal.patentee.name,
        patentee_uscc=deal.patentee.uscc,
        patentee_org_id=deal.patentee.org_id,
        patentee_org_type=deal.patentee.org_type,
        counterparty_name=deal.counterparty.name,
        counterparty_uscc=deal.counterparty.uscc,
        counterparty_org_id=deal.counterparty.org_id,
        counterparty_org_type=deal.counterparty.org_type,
        opened_by=deal.opened_by.value,
        state=deal.state.value,
        offers=[],
        created_at=deal.created_at or now,
    )
    apply_deal(record, deal, now)
    return record


def apply_deal(record: DealRecord, deal: Deal, now: datetime) -> None:
    record.state = deal.state.value
    record.offers = [_offer_json(o) for o in deal.offers]
    record.failure_reason = deal.failure_reason
    record.license_id = deal.license_id
    record.recordal_number = deal.recordal_number
    record.recorded_on = deal.recorded_on
    record.agreed_at = deal.agreed_at
    record.updated_at = now
