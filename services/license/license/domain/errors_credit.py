"""Why the license service refuses something about evidence and credit records. Each
rule has its own problem type."""

from __future__ import annotations

from shared.errors import Conflict, Forbidden, NotFound, RuleViolation


class DocumentUnknown(RuleViolation):
    slug = "document-unknown"
    title = "A cited document was never uploaded, or the caller may not cite it"


class RegulatorOnly(Forbidden):
    slug = "regulator-only"
    title = "Only the regulator (知识产权管理部门) may do this"


class CreditRecordRefused(RuleViolation):
    slug = "credit-record-refused"
    title = "The credit record cannot be made as asked"


class CreditEvidenceRequired(CreditRecordRefused):
    slug = "credit-evidence-required"
    title = "A credit record relies on at least one evidence document"


class CreditPeriodOutOfBounds(CreditRecordRefused):
    slug = "credit-period-out-of-bounds"
    title = "A restriction period starts no later than today and lasts 1 to 36 months"


class CreditFactsRequired(CreditRecordRefused):
    slug = "credit-facts-required"
    title = "A record of the kind `other` states the facts"


class CreditRecordState(Conflict):
    slug = "credit-record-state"
    title = "The credit record is not in a state that allows this"


class ObjectionRefused(RuleViolation):
    slug = "credit-objection-refused"
    title = "The objection cannot be filed"


class ObjectionWindowClosed(ObjectionRefused):
    slug = "credit-objection-window-closed"
    title = "The objection window (15 working days from the record) has closed"


class ObjectionPending(Conflict):
    slug = "credit-objection-pending"
    title = "An objection to this record awaits the regulator's decision"


class ObjectionDecided(Conflict):
    slug = "credit-objection-decided"
    title = "The objection is already decided"


class NotCreditParty(Forbidden):
    slug = "not-credit-party"
    title = "Only the party a credit record names may object to it"


def credit_record_unknown(record_id: str) -> NotFound:
    # Strangers get this word for word, like an id that does not exist.
    return NotFound(f"credit record {record_id} does not exist")


def document_unknown(document_id: str) -> NotFound:
    return NotFound(f"document {document_id} does not exist")
