"""Credit supervision events published by the license service on ``ipmarket.license.v1``.

A record's restriction starts with :class:`CreditRestrictionImposed` and ends with
:class:`CreditRestrictionLifted`; listing keeps its view of restricted parties from the
two. They carry no facts or grounds (free text a party or the regulator wrote): the
record's id, the party, its kind and period. Keyed by the party's USCC, so one party's
events keep their order."""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar

from pydantic import Field

from shared.events import topics
from shared.events.schemas.base import EventData, OrgRef


class _CreditEvent(EventData):
    topic: ClassVar[str] = topics.LICENSE

    record_id: str
    party: OrgRef = Field(description="The party the record names; its USCC is always set.")

    def partition_key(self) -> str:
        return str(self.party.uscc)

    def subject(self) -> str | None:
        return self.party.uscc


class CreditRestrictionImposed(_CreditEvent):
    """A credit record took effect: the party is restricted for its period."""

    event_type: ClassVar[str] = "cn.ipmarket.license.credit.restriction_imposed.v1"

    kind: str = Field(examples=["royalty_unpaid_after_notice"])
    restricted_from: date
    restricted_until: date = Field(description="The last day restricted.")
    restrictions: list[str] = Field(
        examples=[
            ["open_license_declaration", "open_license_fee_reduction", "supply_listing_review"]
        ]
    )


class CreditRestrictionLifted(_CreditEvent):
    """A credit record ended: its period ended, an objection was upheld, or the regulator
    revoked it."""

    event_type: ClassVar[str] = "cn.ipmarket.license.credit.restriction_lifted.v1"

    reason: str = Field(description="period_ended | objection_upheld | revoked")
    lifted_at: datetime


class CreditObjectionOverdue(_CreditEvent):
    """The regulator did not decide an objection by its deadline; sent once."""

    event_type: ClassVar[str] = "cn.ipmarket.license.credit.objection_overdue.v1"

    objection_id: str
    filed_on: date
    decide_by: date
