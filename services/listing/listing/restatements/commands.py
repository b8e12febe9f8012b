"""What the restatement use cases are asked to do."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RequestRestatement:
    """Publish every catalogued patent's current facts once (``PatentRestated``)."""

    requested_by_org_id: str
