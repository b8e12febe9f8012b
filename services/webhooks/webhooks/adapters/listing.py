"""The listing service's HTTP API, called on behalf of a connected platform.

Inbound listings are created through listing's own API so they are validated like any
other; the call carries a short-lived token of the platform's organisation (type
``exchange``), so listing records the platform as the listing's source and its events
carry it as ``originplatform``. Tokens are signed with the shared development key
(HS256); a production deployment gives this service its own delegation issuer.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import httpx

from shared.auth import OrgType
from shared.auth.tokens import issue_token
from webhooks.config import WebhooksSettings
from webhooks.domain.errors import ListingUnavailable

PATHS = {"supply_listing": "/v1/supply-listings", "demand": "/v1/demands"}


@dataclass(frozen=True)
class ListingAnswer:
    status_code: int
    body: dict[str, Any]
    content_type: str

    @property
    def created(self) -> bool:
        return self.status_code in (200, 201)


class ListingClient:
    def __init__(self, settings: WebhooksSettings) -> None:
        self.settings = settings

    async def publish(
        self, *, kind: str, body: dict[str, Any], org_id: str, org_name: str
    ) -> ListingAnswer:
        token = issue_token(
            self.settings,
            org_id=org_id,
            org_name=org_name,
            org_type=OrgType.EXCHANGE,
            ttl_seconds=300,
            subject=f"{org_id}:webhooks-inbound",
        )
        try:
            async with httpx.AsyncClient(
                base_url=self.settings.listing_base_url, timeout=10.0
            ) as client:
                response = await client.post(
                    PATHS[kind], json=body, headers={"authorization": f"Bearer {token}"}
                )
        except httpx.HTTPError as exc:
            raise ListingUnavailable(f"listing did not answer: {type(exc).__name__}") from exc
        if response.status_code >= 500:
            raise ListingUnavailable(f"listing answered {response.status_code}")
        try:
            payload = response.json()
        except json.JSONDecodeError:
            payload = {"detail": response.text[:500]}
        return ListingAnswer(
            response.status_code,
            payload if isinstance(payload, dict) else {"detail": payload},
            response.headers.get("content-type", "application/json"),
        )
