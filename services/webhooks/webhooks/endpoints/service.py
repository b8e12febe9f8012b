"""Endpoints: subscribing, changing, enabling and disabling, signing secrets, health.

Services never commit; the caller's unit of work does.
"""

from __future__ import annotations

import ipaddress
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from shared.auth import Principal
from shared.circuit import CircuitStatus
from shared.db.uow import UnitOfWork
from shared.errors import NotFound
from webhooks.adapters.secret_box import SecretBox
from webhooks.deliveries.repository import DeliveriesRepository
from webhooks.domain.address import EndpointRefused, IPNetwork, check_address, check_url
from webhooks.domain.endpoint import Endpoint, Waiting
from webhooks.domain.errors import EndpointUrlRefused
from webhooks.domain.signing import generate_secret
from webhooks.endpoints.commands import AddEndpoint, RotateSecret, UpdateEndpoint
from webhooks.platforms.service import platform_for, visible_org
from webhooks.repository import WebhooksRepository


@dataclass(frozen=True)
class Keys:
    """What endpoint management needs besides the unit of work."""

    box: SecretBox
    require_https: bool
    allowed_networks: Sequence[IPNetwork]
    rotation_overlap: timedelta


def _checked_url(url: str, keys: Keys) -> str:
    """Checked when saved (an address literal at once; host names again at every send,
    on the address they then resolve to)."""
    try:
        _, host, _ = check_url(url, require_https=keys.require_https)
        try:
            literal = ipaddress.ip_address(host)
        except ValueError:
            literal = None
        if literal is not None:
            check_address(literal, keys.allowed_networks)
    except EndpointRefused as exc:
        raise EndpointUrlRefused(str(exc), field="url") from exc
    return url


async def _add_secret(uow: UnitOfWork, keys: Keys, endpoint_id: str, secret: str | None) -> str:
    """A signing secret for the endpoint, stored sealed; returned in clear once."""
    secret = secret or generate_secret()
    await WebhooksRepository(uow.session).add_secret(
        str(uuid.uuid4()), endpoint_id, keys.box.seal(secret)
    )
    return secret


async def add_endpoint(
    uow: UnitOfWork, keys: Keys, principal: Principal, command: AddEndpoint
) -> tuple[Endpoint, str]:
    """A new endpoint and its signing secret (returned once; stored encrypted)."""
    platform = await platform_for(uow, principal, command.platform_id)
    endpoint = Endpoint(
        id=str(uuid.uuid4()),
        platform_id=platform.id,
        url=_checked_url(command.url, keys),
        description=command.description,
        event_types=list(command.event_types),
        filters=command.filters,
        rate_limit_per_s=command.rate_limit_per_s,
        created_at=uow.clock.now(),
    )
    await WebhooksRepository(uow.session).add_endpoint(endpoint)
    return endpoint, await _add_secret(uow, keys, endpoint.id, command.secret)


async def endpoint_for(
    uow: UnitOfWork, principal: Principal, endpoint_id: str, *, for_update: bool = False
) -> Endpoint:
    endpoint = await WebhooksRepository(uow.session).get_endpoint(
        endpoint_id, for_update=for_update
    )
    if endpoint is None:
        raise NotFound(f"endpoint {endpoint_id} does not exist")
    await platform_for(uow, principal, endpoint.platform_id)
    return endpoint


async def list_endpoints(
    uow: UnitOfWork,
    principal: Principal,
    *,
    platform_id: str | None,
    status: CircuitStatus | None,
    limit: int,
    after: tuple[datetime, str] | None,
) -> list[Endpoint]:
    """Every endpoint for the operator, a platform's own for a platform; oldest first,
    a page after the position ``after`` (creation time, id)."""
    if platform_id is not None:
        await platform_for(uow, principal, platform_id)
    return await WebhooksRepository(uow.session).list_endpoints(
        org_id=visible_org(principal),
        platform_id=platform_id,
        status=status,
        limit=limit,
        after=after,
    )


async def update_endpoint(
    uow: UnitOfWork, keys: Keys, principal: Principal, command: UpdateEndpoint
) -> Endpoint:
    endpoint = await endpoint_for(uow, principal, command.endpoint_id, for_update=True)
    if command.url is not None:
        endpoint.url = _checked_url(command.url, keys)
    if command.description is not None:
        endpoint.description = command.description
    if command.event_types is not None:
        endpoint.event_types = list(command.event_types)
    if command.filters is not None:
        endpoint.filters = command.filters
    if command.set_rate_limit:
        endpoint.rate_limit_per_s = command.rate_limit_per_s
    if command.enabled is True:
        endpoint.enable()
        # Its pending deliveries are due again: every instance's dispatcher may take them.
        await DeliveriesRepository(uow.session).announce()
    elif command.enabled is False:
        endpoint.disable(uow.clock.now())
    await WebhooksRepository(uow.session).save_endpoint(endpoint)
    return endpoint


async def waiting(uow: UnitOfWork, endpoint_ids: Sequence[str]) -> dict[str, Waiting]:
    """Which of these endpoints have a delivery ready to send, and since when they have
    made no attempt (``DeliveriesRepository.waiting``)."""
    if not endpoint_ids:
        return {}
    found = await DeliveriesRepository(uow.session).waiting(uow.clock.now(), endpoint_ids)
    return {w.endpoint_id: w for w in found}


async def rotate_secret(
    uow: UnitOfWork, keys: Keys, principal: Principal, command: RotateSecret
) -> tuple[Endpoint, str, datetime]:
    """A new signing secret; the previous ones keep signing for the overlap period."""
    endpoint = await endpoint_for(uow, principal, command.endpoint_id, for_update=True)
    until = uow.clock.now() + keys.rotation_overlap
    await WebhooksRepository(uow.session).expire_secrets(endpoint.id, until)
    return endpoint, await _add_secret(uow, keys, endpoint.id, command.secret), until
