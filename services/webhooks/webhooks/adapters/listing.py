"""The listing service's HTTP API, called on behalf of a connected platform.

Inbound listings are created, updated and closed through listing's own API so they are
validated like any other, and only their publisher may change them; the call carries a
short-lived token of the platform's organisation (type ``exchange``), so listing records
the platform as the listing's source and its events carry it as ``originplatform``.
Tokens are signed with the shared development key (HS256); a production deployment gives
this service its own delegation issuer.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import httpx

from shared.auth import OrgType
from shared.auth.tokens import issue_token
from webhooks.config import WebhooksSettings
from webhooks.domain.errors import InboundListingUnknown, ListingUnavailable

PATHS = {"supply_listing": "/v1/supply-listings", "demand": "/v1/demands"}


@dataclass(frozen=True)
class ListingAnswer:
    status_code: int
    body: dict[str, Any]
    content_type: str

    @property
    def created(self) -> bool:
        return self.status_code in (200, 201)


@dataclass(frozen=True)
class ListingTarget:
    """Which of the platform's listings an update or close is about: its id in listing,
    or the platform's own reference it was published under."""

    listing_id: str | None = None
    external_reference: str | None = None


class ListingClient:
    def __init__(self, settings: WebhooksSettings) -> None:
        self.settings = settings

    async def publish(
        self, *, kind: str, body: dict[str, Any], org_id: str, org_name: str
    ) -> ListingAnswer:
        async with self._client(org_id, org_name) as client:
            return await self._call(client, "POST", PATHS[kind], body)

    async def change(
        self,
        *,
        kind: str,
        action: str,
        target: ListingTarget,
        body: dict[str, Any],
        org_id: str,
        org_name: str,
    ) -> ListingAnswer:
        """Update (``PATCH``) or close one of the platform's listings, named by its id or
        by the platform's own reference for it."""
        async with self._client(org_id, org_name) as client:
            listing_id = target.listing_id or await self._by_reference(client, kind, target)
            path = f"{PATHS[kind]}/{listing_id}"
            if action == "update":
                return await self._call(client, "PATCH", path, body)
            return await self._call(client, "POST", f"{path}/close", body)

    async def _by_reference(
        self, client: httpx.AsyncClient, kind: str, target: ListingTarget
    ) -> str:
        answer = await self._call(
            client, "GET", PATHS[kind], params={"external_reference": target.external_reference}
        )
        items = answer.body.get("items") if answer.status_code == 200 else None
        if not items:
            raise InboundListingUnknown(
                f"no {kind} published by this platform under the reference "
                f"{target.external_reference}"
            )
        return str(items[0]["id"])

    def _client(self, org_id: str, org_name: str) -> httpx.AsyncClient:
        token = issue_token(
            self.settings,
            org_id=org_id,
            org_name=org_name,
            org_type=OrgType.EXCHANGE,
            ttl_seconds=300,
            subject=f"{org_id}:webhooks-inbound",
        )
        return httpx.AsyncClient(
            base_url=self.settings.listing_base_url,
            timeout=10.0,
            headers={"authorization": f"Bearer {token}"},
        )

    async def _call(
        self,
        client: httpx.AsyncClient,
        method: str,
        path: str,
        body: dict[str, Any] | None = None,
        params: dict[str, Any] | None = None,
    ) -> ListingAnswer:
        try:
            response = await client.request(method, path, json=body, params=params)
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
