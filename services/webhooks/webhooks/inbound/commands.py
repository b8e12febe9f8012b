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
    """What a verified inbound webhook asks for: to publish a supply listing or a demand
    (``listing`` is the body of listing's publishing API), or to update or close one the
    platform published (``listing`` is the body of its ``PATCH`` or ``close``), named by
    ``listing_id`` or the platform's ``external_reference``."""

    kind: str
    listing: dict[str, Any]
    action: str = "publish"
    listing_id: str | None = None
    external_reference: str | None = None
