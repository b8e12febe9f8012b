"""Holdings <-> rows. Kept in the coverage area because only it reads and writes
``institution_holdings`` (the service's mapping.py holds what several areas share)."""

from __future__ import annotations

from typing import Any

from listing.domain.holding import InstitutionHolding

# The columns of ``institution_holdings``, in the order the bulk import COPYs them.
HOLDING_COLUMNS = (
    "uscc",
    "application_number",
    "name",
    "party_type",
    "province",
    "city",
    "valid",
    "counted",
)


def holding_values(holding: InstitutionHolding) -> dict[str, Any]:
    return {
        "uscc": holding.uscc,
        "application_number": holding.application_number,
        "name": holding.name,
        "party_type": holding.party_type.value,
        "province": holding.province,
        "city": holding.city,
        "valid": holding.valid,
        "counted": holding.counted,
    }


def holding_row(holding: InstitutionHolding) -> tuple[Any, ...]:
    """A holding as the bulk import COPYs it (``HOLDING_COLUMNS``)."""
    values = holding_values(holding)
    return tuple(values[c] for c in HOLDING_COLUMNS)
