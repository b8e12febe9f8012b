"""The deal's rules without infrastructure: offers and their turns, acceptance, expiry,
signatures, failure, and the scope an exclusive licence excludes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from license.domain.deal import Deal, DealState, Offer, OfferState, Side, Signature
from license.domain.declaration import LicenseTerms, Patentee
from license.domain.errors_deals import (
    AlreadySigned,
    DealFailedAlready,
    NotOfferAddressee,
    NotYourTurn,
    OfferExpired,
    OfferInvalid,
    OfferNotOpen,
)
from license.domain.offer import (
    DealParty,
    DealSubject,
    LicenseProposal,
    TransferProposal,
    check_expiry,
    check_proposal,
)
from license.domain.scope import LicenseScope
from shared.domain.terms import LicenseKind, PaymentMode

NOW = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
UNIVERSITY = DealParty("清华大学", "12100000400000624D")
CARMAKER = DealParty("比亚迪股份有限公司", "91440300192317458F")


def licence(kind: LicenseKind = LicenseKind.EXCLUSIVE, field: str | None = None) -> LicenseProposal:
    terms = LicenseTerms(
        payment_mode=PaymentMode.LUMP_SUM,
        term_start=date(2027, 1, 1),
        term_end=date(2029, 12, 31),
        lump_sum_fee=Decimal("500000"),
    )
    return LicenseProposal(kind, terms, field)


def deal() -> Deal:
    opened = Deal(
        id="deal-1",
        application_number="201710601862.3",
        patent_number="ZL201710601862.3",
        subject=DealSubject.LICENSE,
        owners=(Patentee(UNIVERSITY.name, UNIVERSITY.uscc),),
        patentee=UNIVERSITY,
        counterparty=CARMAKER,
        opened_by=Side.PATENTEE,
    )
    opened.make_offer(offer("o1", Side.PATENTEE), NOW)
    return opened


def offer(offer_id: str, author: Side, hours: float = 24) -> Offer:
    return Offer(offer_id, author, licence(), NOW + timedelta(hours=hours), NOW)


def signature(side: Side) -> Signature:
    return Signature("s-" + side.value, side, "org", "name", "0" * 64, "application/pdf", 10, NOW)


@pytest.mark.unit
def test_a_counter_offer_supersedes_and_only_the_addressee_accepts() -> None:
    negotiated = deal()
    with pytest.raises(NotYourTurn):
        negotiated.make_offer(offer("o2", Side.PATENTEE), NOW)
    negotiated.make_offer(offer("o2", Side.COUNTERPARTY), NOW)
    assert [o.state for o in negotiated.offers] == [OfferState.SUPERSEDED, OfferState.OPEN]
    with pytest.raises(OfferNotOpen):
        negotiated.accept("o1", Side.COUNTERPARTY, NOW)
    with pytest.raises(NotOfferAddressee):
        negotiated.accept("o2", Side.COUNTERPARTY, NOW)
    negotiated.accept("o2", Side.PATENTEE, NOW)
    assert negotiated.state is DealState.AGREED


@pytest.mark.unit
def test_an_expired_offer_ends_the_negotiation() -> None:
    negotiated = deal()
    later = NOW + timedelta(hours=25)
    assert negotiated.state_at(later) is DealState.EXPIRED
    with pytest.raises(OfferExpired):
        negotiated.accept("o1", Side.COUNTERPARTY, later)
    with pytest.raises(OfferExpired):
        negotiated.make_offer(offer("o2", Side.COUNTERPARTY, hours=48), later)


@pytest.mark.unit
def test_each_party_signs_once_and_a_failed_deal_refuses_everything() -> None:
    agreed = deal()
    agreed.accept("o1", Side.COUNTERPARTY, NOW)
    assert agreed.sign(signature(Side.COUNTERPARTY)) is False
    with pytest.raises(AlreadySigned):
        agreed.sign(signature(Side.COUNTERPARTY))
    assert agreed.fail("patent 201710601862.3: its legal status is terminated") is True
    with pytest.raises(DealFailedAlready, match="terminated"):
        agreed.sign(signature(Side.PATENTEE))
    assert agreed.fail("again") is False


@pytest.mark.unit
def test_both_signatures_complete_the_contract() -> None:
    agreed = deal()
    agreed.accept("o1", Side.COUNTERPARTY, NOW)
    agreed.sign(signature(Side.PATENTEE))
    assert agreed.sign(signature(Side.COUNTERPARTY)) is True


@pytest.mark.unit
def test_scopes_overlap_on_term_territory_and_field() -> None:
    def scope(
        kind: LicenseKind, start: int, field: str | None, territory: str | None = "中国大陆"
    ) -> LicenseScope:
        return LicenseScope(kind, date(start, 1, 1), date(start + 2, 12, 31), territory, field)

    exclusive = scope(LicenseKind.EXCLUSIVE, 2027, None)
    assert exclusive.excludes(scope(LicenseKind.ORDINARY, 2028, "储能"))
    assert not exclusive.excludes(scope(LicenseKind.ORDINARY, 2031, None))
    assert not scope(LicenseKind.EXCLUSIVE, 2027, "储能").excludes(
        scope(LicenseKind.EXCLUSIVE, 2027, "医疗器械")
    )
    assert not exclusive.excludes(scope(LicenseKind.SOLE, 2027, None, "香港特别行政区"))
    assert not scope(LicenseKind.ORDINARY, 2027, None).excludes(
        scope(LicenseKind.ORDINARY, 2027, None)
    )


@pytest.mark.unit
def test_offers_are_checked_whoever_makes_them() -> None:
    with pytest.raises(OfferInvalid, match="90 days"):
        check_expiry(NOW + timedelta(days=91), NOW)
    with pytest.raises(OfferInvalid, match="expiry"):
        check_proposal(
            DealSubject.LICENSE, licence(), counterparty=CARMAKER, patent_expiry=date(2028, 1, 1)
        )
    half = Patentee(CARMAKER.name, CARMAKER.uscc, Decimal("50"), "enterprise")
    with pytest.raises(OfferInvalid, match="100"):
        check_proposal(
            DealSubject.TRANSFER,
            TransferProposal(Decimal("1000000"), (half,)),
            counterparty=CARMAKER,
            patent_expiry=None,
        )
    with pytest.raises(OfferInvalid, match="transfer"):
        check_proposal(DealSubject.TRANSFER, licence(), counterparty=CARMAKER, patent_expiry=None)
