"""Webhooks' dependency aliases, and the keyset paging every list here shares."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Protocol, TypeVar

from fastapi import Depends, Path, Request

from shared.auth import OrgType, Principal, Scope
from shared.auth.dependencies import require
from shared.http.dependencies import get_runtime
from shared.http.pagination import PageParams, TimeIdPosition
from webhooks.adapters import Adapters
from webhooks.adapters.secret_box import SecretBox
from webhooks.config import WebhooksSettings
from webhooks.domain.address import parse_networks
from webhooks.endpoints.service import Keys
from webhooks.workers import Dispatcher

# Reads of a platform's own things (or every platform's, for the operator).
OperatorOrExchange = Annotated[Principal, Depends(require(OrgType.OPERATOR, OrgType.EXCHANGE))]
# Changes to them: endpoints, subscriptions, secrets, replays.
OperatorOrExchangeWriter = Annotated[
    Principal, Depends(require(OrgType.OPERATOR, OrgType.EXCHANGE, scope=Scope.WRITE))
]
Operator = Annotated[Principal, Depends(require(OrgType.OPERATOR, scope=Scope.OPERATE))]
Id = Annotated[str, Path(max_length=36)]


def get_settings(request: Request) -> WebhooksSettings:
    settings = get_runtime(request).settings
    assert isinstance(settings, WebhooksSettings)
    return settings


def get_box(request: Request) -> SecretBox:
    return get_runtime(request).extras_of(Adapters).secret_box


def get_keys(request: Request) -> Keys:
    settings = get_settings(request)
    return Keys(
        box=get_box(request),
        require_https=settings.require_https,
        allowed_networks=parse_networks(settings.allowed_networks),
        rotation_overlap=timedelta(seconds=settings.secret_rotation_overlap_s),
    )


def wake_dispatcher(request: Request) -> None:
    get_runtime(request).wake(Dispatcher.NAME)


SettingsDep = Annotated[WebhooksSettings, Depends(get_settings)]
BoxDep = Annotated[SecretBox, Depends(get_box)]
KeysDep = Annotated[Keys, Depends(get_keys)]


class _Created(Protocol):
    created_at: datetime
    id: str


R = TypeVar("R", bound=_Created)


def one_page(records: list[R], page: PageParams) -> tuple[list[R], str | None]:
    """The page's records, from one more than a page fetched, and the cursor to the next
    page (none on the last: the extra record tells whether another follows)."""
    if len(records) <= page.limit:
        return records, None
    last = records[page.limit - 1]
    return records[: page.limit], TimeIdPosition(t=last.created_at, id=last.id).cursor()


def page_after(page: PageParams) -> tuple[datetime, str] | None:
    """The position after which the requested page starts (every list here is ordered by
    a timestamp with the id breaking ties); another cursor is refused (422)."""
    after = page.after(TimeIdPosition)
    return after.key if after else None
