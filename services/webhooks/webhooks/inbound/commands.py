"""What the inbound use case is asked to do."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ReceiveInbound:
    """A platform's signed webhook, as it arrived (verified on its raw body)."""

    platform_id: str
    headers: Mapping[str, str]
    raw_body: bytes
    tolerance_s: int


@dataclass(frozen=True)
class InboundListing:
    """What a verified inbound webhook asks for: a supply listing or a demand, in the
    body listing's own API takes."""

    kind: str
    listing: dict[str, Any]
