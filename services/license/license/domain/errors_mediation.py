"""Why the license service refuses something about a mediation case (专利纠纷调解).
Each rule has its own problem type."""

from __future__ import annotations

from shared.errors import Conflict, Forbidden, RuleViolation


class MediationRefusedByRule(RuleViolation):
    slug = "mediation-rule"
    title = "Refused by a rule of dispute mediation"


class LicenseNotInEffect(MediationRefusedByRule):
    slug = "mediation-license-not-in-effect"
    title = "The licence never took effect: there is no term a dispute could arise in"


class DisputeOutsideLicenseTerm(MediationRefusedByRule):
    slug = "mediation-dispute-outside-license-term"
    title = "The dispute must have arisen between the licence's effect and its end"


class DisputeDateInFuture(MediationRefusedByRule):
    slug = "mediation-dispute-date-in-future"
    title = "A dispute cannot have arisen after today"


class RespondentNotAgreed(MediationRefusedByRule):
    slug = "mediation-respondent-not-agreed"
    title = "The other party has not agreed to mediation"


class ProceedingsRecorded(MediationRefusedByRule):
    slug = "mediation-proceedings-recorded"
    title = "A lawsuit, an arbitration or a decision on the dispute is recorded"


class RefusalReasonUnfounded(MediationRefusedByRule):
    slug = "mediation-refusal-reason-unfounded"
    title = "The case holds no record of the refusal's reason"


class SessionDateInvalid(MediationRefusedByRule):
    slug = "mediation-session-date-invalid"
    title = "A session is held between the acceptance and today"


class ExtensionReasonMissing(MediationRefusedByRule):
    slug = "mediation-extension-reason-missing"
    title = "An extension of the mediation period needs a recorded reason"


class SettlementNotRunningRoyalty(MediationRefusedByRule):
    slug = "mediation-settlement-not-running-royalty"
    title = "A new royalty rate needs a licence that pays a running royalty"


class SettlementDateOutsideTerm(MediationRefusedByRule):
    slug = "mediation-settlement-date-outside-term"
    title = "The new terms must take effect within the licence's term"


class SettlementMissing(MediationRefusedByRule):
    slug = "mediation-settlement-missing"
    title = "No settlement agreement is recorded on the case"


class SettlementNotSigned(MediationRefusedByRule):
    slug = "mediation-settlement-not-signed"
    title = "The settlement agreement is not signed by both parties: it is not in effect"


class TerminationReasonReserved(MediationRefusedByRule):
    slug = "mediation-termination-reason-reserved"
    title = "Only the requester withdraws a request"


class NotPartyToMediation(Forbidden):
    slug = "mediation-not-party"
    title = "Only a party to the licence may do this"


class NotRespondent(Forbidden):
    slug = "mediation-not-respondent"
    title = "Only the other party to the dispute answers the request"


class NotRequester(Forbidden):
    slug = "mediation-not-requester"
    title = "Only the party that asked for mediation may withdraw it"


class NotMediator(Forbidden):
    slug = "mediation-not-mediator"
    title = "Only the mediation organisation named in the request may do this"


class MediationStateConflict(Conflict):
    slug = "mediation-invalid-state"
    title = "The mediation case is not in a state that allows this"


class AlreadyAnswered(Conflict):
    slug = "mediation-already-answered"
    title = "The other party has already answered the request"


class SettlementAlreadySigned(Conflict):
    slug = "mediation-settlement-already-signed"
    title = "This party has already signed the settlement agreement"
