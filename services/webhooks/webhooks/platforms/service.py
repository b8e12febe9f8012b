"""Connected platforms: registration, access, the inbound signing secret.

Services never commit; the caller's unit of work does.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from shared.auth import OrgType, Principal
from shared.db.uow import UnitOfWork
from shared.errors import NotFound
from webhooks.adapters.secret_box import SecretBox
from webhooks.domain.errors import NotYourPlatform, PlatformAlreadyRegistered
from webhooks.domain.platform import Platform
from webhooks.domain.signing import generate_secret
from webhooks.platforms.commands import RegisterPlatform
from webhooks.repository import WebhooksRepository


async def register_platform(
    uow: UnitOfWork, box: SecretBox, command: RegisterPlatform
) -> tuple[Platform, str]:
    """A new connected platform and its inbound signing secret (returned once)."""
    secret = generate_secret()
    platform = Platform(
        id=str(uuid.uuid4()),
        org_id=command.org_id,
        name=command.name,
        region_code=command.region_code,
        inbound_secret=box.seal(secret),
        created_at=uow.clock.now(),
    )
    if not await WebhooksRepository(uow.session).add_platform(platform):
        raise PlatformAlreadyRegistered(f"organisation {command.org_id} is already connected")
    return platform, secret


async def rotate_inbound_secret(
    uow: UnitOfWork, box: SecretBox, principal: Principal, platform_id: str
) -> tuple[Platform, str]:
    platform = await platform_for(uow, principal, platform_id)
    secret = generate_secret()
    platform.inbound_secret = box.seal(secret)
    await WebhooksRepository(uow.session).save_platform(platform)
    return platform, secret


async def platform_for(uow: UnitOfWork, principal: Principal, platform_id: str) -> Platform:
    """The platform, if the caller is the operator or the platform itself."""
    platform = await WebhooksRepository(uow.session).get_platform(platform_id)
    if platform is None:
        raise NotFound(f"platform {platform_id} is not connected")
    if principal.org_type is not OrgType.OPERATOR and principal.org_id != platform.org_id:
        raise NotYourPlatform(f"platform {platform_id} belongs to another organisation")
    return platform


def visible_org(principal: Principal) -> str | None:
    """Whose things a caller lists: every organisation's for the operator, else its own."""
    return None if principal.org_type is OrgType.OPERATOR else principal.org_id


async def list_platforms(
    uow: UnitOfWork, principal: Principal, *, limit: int, after: tuple[datetime, str] | None
) -> list[Platform]:
    repo = WebhooksRepository(uow.session)
    return await repo.list_platforms(visible_org(principal), limit=limit, after=after)
