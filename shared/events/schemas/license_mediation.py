"""Mediation events published by the license service on ``ipmarket.license.v1``.

The topic is public (webhooks forwards it to connected platforms): the events say which
case, licence and patent, who mediates, the dates and the reason codes; never the
parties' claims, the session summaries, the notes or the settlement's other terms."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import ClassVar

from pydantic import Field

from shared.events import topics
from shared.events.schemas.base import EventData, OrgRef


class _MediationEvent(EventData):
    """What every mediation event says of its case."""

    topic: ClassVar[str] = topics.LICENSE

    mediation_case_id: str
    license_id: str
    application_number: str
    mediator: OrgRef = Field(description="The mediation organisation (调解组织).")


class MediationRequested(_MediationEvent):
    """A party to a licence asked the mediation organisation to mediate a dispute."""

    event_type: ClassVar[str] = "cn.ipmarket.license.mediation.requested.v1"

    patent_number: str
    requester: OrgRef
    requester_side: str = Field(examples=["licensee"], description="licensee | licensor")
    dispute_arose_on: date
    requested_on: date
    acceptance_deadline: date | None = Field(
        description="5 working days after the request; null while the working-day calendar "
        "does not cover the year the count runs into (acceptance_deadline_pending)."
    )
    acceptance_deadline_pending: int | None = Field(
        default=None,
        examples=[2027],
        description="The year the working-day calendar lacks to count the acceptance deadline.",
    )


class MediationAccepted(_MediationEvent):
    """The mediation organisation accepted the case (受理)."""

    event_type: ClassVar[str] = "cn.ipmarket.license.mediation.accepted.v1"

    accepted_on: date
    closing_deadline: date = Field(
        description="30 days after acceptance, rolled forward to a working day; the plain "
        "day when closing_deadline_provisional."
    )
    closing_deadline_provisional: bool = Field(
        default=False,
        description="The working-day calendar does not cover the deadline's year yet: the "
        "plain calendar day, which can only move later (to the next working day).",
    )


class MediationRefused(_MediationEvent):
    """The mediation organisation refused the case (不予受理)."""

    event_type: ClassVar[str] = "cn.ipmarket.license.mediation.refused.v1"

    reason: str = Field(
        examples=["other_party_declined"],
        description="other_party_declined | lawsuit_filed | arbitration_applied | dispute_decided",
    )
    refused_on: date


class MediationExtended(_MediationEvent):
    """The mediation period was extended, with a reason recorded on the case."""

    event_type: ClassVar[str] = "cn.ipmarket.license.mediation.extended.v1"

    days: int
    closing_deadline: date = Field(description="The new closing deadline.")
    closing_deadline_provisional: bool = Field(
        default=False,
        description="As in the accepted event: the plain day while the calendar lacks its year.",
    )


class MediationSettled(_MediationEvent):
    """Both parties signed the settlement agreement and the case closed on it."""

    event_type: ClassVar[str] = "cn.ipmarket.license.mediation.settled.v1"

    settled_on: date
    royalty_rate: Decimal = Field(description="The new rate, percent of the royalty base.")
    effective_from: date


class MediationTerminated(_MediationEvent):
    """The case ended without a settlement: terminated by the mediator or withdrawn."""

    event_type: ClassVar[str] = "cn.ipmarket.license.mediation.terminated.v1"

    reason: str = Field(
        examples=["no_agreement"],
        description="no_agreement | party_withdrew | proceedings_started | "
        "deadline_passed | withdrawn (by the requester)",
    )
    terminated_on: date


class _MediationDeadlineEvent(_MediationEvent):
    deadline: str = Field(examples=["acceptance"], description="acceptance | closing")
    deadline_date: date


class MediationDeadlineDue(_MediationDeadlineEvent):
    """A mediation deadline is 3 working days away; sent once per deadline."""

    event_type: ClassVar[str] = "cn.ipmarket.license.mediation.deadline_due.v1"


class MediationDeadlineOverdue(_MediationDeadlineEvent):
    """A mediation deadline passed with the decision or the closing not made; sent once."""

    event_type: ClassVar[str] = "cn.ipmarket.license.mediation.deadline_overdue.v1"


class LicenseTermsAmended(EventData):
    """A mediation settlement changed a licence's royalty rate: the royalty periods
    starting on or after ``effective_from`` that are not yet reported use it."""

    event_type: ClassVar[str] = "cn.ipmarket.license.license.terms_amended.v1"
    topic: ClassVar[str] = topics.LICENSE

    license_id: str
    application_number: str
    mediation_case_id: str
    royalty_rate: Decimal = Field(description="The new rate, percent of the royalty base.")
    effective_from: date
