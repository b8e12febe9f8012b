"""Why the license service refuses something about a negotiated deal. Each rule has its
own problem type."""

from __future__ import annotations

from shared.errors import Conflict, Forbidden, NotFound, RuleViolation


class DealUnknown(NotFound):
    slug = "deal-unknown"
    title = "The deal does not exist"


def deal_unknown(deal_id: str) -> DealUnknown:
    # Word for word the same for a deal the caller may not see.
    return DealUnknown(f"deal {deal_id} does not exist", deal_id=deal_id)


class OfferUnknown(NotFound):
    slug = "deal-offer-unknown"
    title = "The offer does not exist in this deal"


class DealRefused(RuleViolation):
    slug = "deal-refused"
    title = "Deal refused"


class PatentNotValid(DealRefused):
    slug = "patent-not-valid"
    title = "The patent is not valid: no licence or transfer may be agreed on it"


class NotPatenteeOfPatent(DealRefused):
    slug = "deal-no-patentee"
    title = "One side of a deal must be a patentee of the patent"


class PartyUsccMissing(DealRefused):
    slug = "deal-party-uscc-missing"
    title = "The parties of a deal are identified by their unified social credit codes"


class OfferInvalid(DealRefused):
    slug = "deal-offer-invalid"
    title = "The offer's terms are not valid"


class OfferExpired(DealRefused):
    slug = "deal-offer-expired"
    title = "The offer expired before it was accepted"


class OfferNotOpen(Conflict):
    slug = "deal-offer-not-open"
    title = "The offer was withdrawn, superseded or accepted: it cannot be accepted"


class NotYourTurn(Conflict):
    slug = "deal-offer-open-by-you"
    title = "Your own offer is open: withdraw it before making another"


class DealNotNegotiating(Conflict):
    slug = "deal-not-negotiating"
    title = "The deal is no longer being negotiated"


class DealFailedAlready(Conflict):
    slug = "deal-failed"
    title = "The deal failed: nothing more can be done on it"


class ScopeTaken(Conflict):
    slug = "deal-exclusive-scope-taken"
    title = "An exclusive or sole licence of an overlapping scope is agreed or in force"


class NotPartyToDeal(Forbidden):
    slug = "not-party-to-deal"
    title = "Only a party to the deal may do this"


class NotOfferAddressee(Forbidden):
    slug = "deal-not-offer-addressee"
    title = "Only the party an offer is addressed to may accept it"


class NotOfferAuthor(Forbidden):
    slug = "deal-not-offer-author"
    title = "Only the author of an offer may withdraw it"


class AlreadySigned(Conflict):
    slug = "deal-already-signed"
    title = "This party has already signed the contract"


class NotAgreed(Conflict):
    slug = "deal-not-agreed"
    title = "Only an agreed deal is signed"


class SignatureRefused(DealRefused):
    slug = "deal-signature-document-refused"
    title = "The signed contract document is not accepted"


class TransferPledgedWithoutConsent(DealRefused):
    slug = "deal-transfer-pledged-without-consent"
    title = "The patent is pledged and the pledgee has not consented to this transfer"


class NotAwaitingRecordal(Conflict):
    slug = "deal-not-awaiting-recordal"
    title = "Only a signed transfer awaiting recordal is recorded"
