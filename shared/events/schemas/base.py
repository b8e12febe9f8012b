"""Base of every event model, and the references to parties that events carry."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

EVENT_TYPES: dict[str, type[EventData]] = {}


class EventData(BaseModel):
    """The ``data`` of one CloudEvents type.

    Subclasses set :attr:`event_type` (``cn.ipmarket.<service>.<aggregate>.<fact>.vN``)
    and :attr:`topic`; defining the class registers it in :data:`EVENT_TYPES`.
    Unknown fields are ignored on read, so adding optional fields is compatible.
    """

    model_config = ConfigDict(extra="ignore", frozen=True)

    event_type: ClassVar[str]
    topic: ClassVar[str]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        event_type = cls.__dict__.get("event_type")
        if event_type is not None:
            if event_type in EVENT_TYPES:
                raise TypeError(f"event type {event_type} is defined twice")
            EVENT_TYPES[event_type] = cls

    def partition_key(self) -> str:
        """The Kafka key: the patent's application number unless the event says otherwise."""
        return str(getattr(self, "application_number"))  # noqa: B009

    def subject(self) -> str | None:
        """The CloudEvents ``subject``: what the event is about, for filtering."""
        return getattr(self, "application_number", None)


class OrgRef(BaseModel):
    """An organisation as the event's producer knew it when it acted."""

    model_config = ConfigDict(frozen=True)

    org_id: str | None = Field(default=None, description="Platform organisation id, if known.")
    name: str = Field(examples=["清华大学"])
    uscc: str | None = Field(default=None, description="Unified social credit code (GB 32100).")


class PatenteeRef(OrgRef):
    """A (co-)owner of a patent with its share."""

    share: Decimal = Field(default=Decimal("100"), description="Ownership share in percent.")
    party_type: str = Field(
        default="university",
        description="university | research_institute | enterprise | individual",
    )
