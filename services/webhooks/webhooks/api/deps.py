"""Webhooks' dependency aliases."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Request

from shared.auth import OrgType, Principal, Scope
from shared.auth.dependencies import require
from shared.http.dependencies import get_runtime
from webhooks.adapters import Adapters
from webhooks.adapters.secret_box import SecretBox
from webhooks.config import WebhooksSettings
from webhooks.delivery import Dispatcher
from webhooks.domain.address import parse_networks
from webhooks.service import Keys

# Reads of a platform's own things (or every platform's, for the operator).
OperatorOrExchange = Annotated[Principal, Depends(require(OrgType.OPERATOR, OrgType.EXCHANGE))]
# Changes to them: endpoints, subscriptions, secrets, replays.
OperatorOrExchangeWriter = Annotated[
    Principal, Depends(require(OrgType.OPERATOR, OrgType.EXCHANGE, scope=Scope.WRITE))
]
Operator = Annotated[Principal, Depends(require(OrgType.OPERATOR, scope=Scope.OPERATE))]


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
