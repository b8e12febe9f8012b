"""What the industries use cases are asked to do."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RequestRederive:
    """Re-derive every catalogued patent's industry codes from the concordance in force."""

    requested_by_org_id: str
