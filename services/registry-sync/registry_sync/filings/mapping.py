"""What an event says of a licence or transfer -> the filings row's columns, written once."""

from __future__ import annotations

from typing import Any

from registry_sync.filings.commands import RecordFilingFacts


def first_uscc(parties: list[dict[str, Any]] | None) -> str | None:
    """The first party that gave its USCC stands for its side in the join."""
    return next((p["uscc"] for p in parties or [] if p.get("uscc")), None)


def to_values(facts: RecordFilingFacts) -> dict[str, Any]:
    """The row's columns an event fills (the others stay as they are)."""
    return {
        "source_reference": facts.source_reference,
        "filing_type": facts.filing_type.value,
        "application_number": facts.application_number,
        "patent_number": facts.patent_number,
        "license_kind": facts.license_kind,
        "seller_uscc": first_uscc(facts.sellers),
        "buyer_uscc": first_uscc(facts.buyers),
        "sellers": facts.sellers,
        "buyers": facts.buyers,
        "contract_value": facts.contract_value,
        "started_on": facts.started_on,
        "filing_number": facts.filing_number,
        "filed_on": facts.filed_on,
    }
