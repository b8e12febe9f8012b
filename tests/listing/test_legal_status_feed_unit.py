"""What each of the patent office's announcements sets on a patent."""

from __future__ import annotations

import pytest

from listing.domain.legal_status import OFFICE_EVENTS, facts_for
from listing.domain.patent import AnnualFeeStatus, LegalStatus
from listing.domain.timeline import LABELS
from shared.events.schemas import PatentLegalStatusReported, registry_office
from shared.events.schemas.base import EventData

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("event", "legal_status", "annual_fee_status"),
    [
        ("fees_unpaid", None, AnnualFeeStatus.UNPAID),
        ("grace_period_ended", LegalStatus.LAPSED, None),
        ("terminated", LegalStatus.LAPSED, None),
        ("invalidated", LegalStatus.INVALIDATED, None),
        ("partially_invalidated", None, None),
        ("restored", LegalStatus.VALID, AnnualFeeStatus.PAID),
    ],
)
def test_each_announcement_sets_its_facts(
    event: str, legal_status: LegalStatus | None, annual_fee_status: AnnualFeeStatus | None
) -> None:
    facts = facts_for(event)
    assert (facts.legal_status, facts.annual_fee_status) == (legal_status, annual_fee_status)


def test_every_event_registry_sync_publishes_is_known() -> None:
    described = PatentLegalStatusReported.model_fields["status_event"].description or ""
    assert set(OFFICE_EVENTS) == {e.strip() for e in described.split("|")}


def test_an_unknown_announcement_is_refused_with_the_reason() -> None:
    with pytest.raises(ValueError, match="revoked"):
        facts_for("revoked")


def test_the_timeline_names_every_patent_office_event() -> None:
    published = {
        model.event_type
        for model in vars(registry_office).values()
        if isinstance(model, type) and issubclass(model, EventData) and "event_type" in vars(model)
    }
    assert published
    assert published <= set(LABELS)
