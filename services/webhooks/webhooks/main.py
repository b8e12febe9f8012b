"""Bootstrap of the webhooks service process."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from shared.http.app import create_http_app
from shared.runtime import ConsumerSpec, ServiceRuntime
from webhooks import consumers
from webhooks.adapters import Adapters
from webhooks.adapters.listing import ListingClient
from webhooks.adapters.secret_box import SealedResponses, SecretBox
from webhooks.api.deliveries import endpoints as deliveries_api
from webhooks.api.endpoints import endpoints as endpoints_api
from webhooks.api.inbound import endpoints as inbound_api
from webhooks.api.outbound_events import endpoints as outbound_events_api
from webhooks.api.platforms import endpoints as platforms_api
from webhooks.config import WebhooksSettings
from webhooks.models import infrastructure
from webhooks.workers import Dispatcher, deliveries

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def create_app(settings: WebhooksSettings | None = None) -> FastAPI:
    settings = settings or WebhooksSettings()
    box = SecretBox(settings.secret_encryption_keys)
    runtime = ServiceRuntime(
        settings,
        tables=infrastructure,
        migrations_dir=MIGRATIONS,
        publishes=set(),
        # A consumer's commit adds deliveries: the dispatcher is woken to send them.
        consumers=[
            ConsumerSpec(consumers.GROUP_ID, consumers.router, wakes=frozenset({Dispatcher.NAME}))
        ],
        workers=[deliveries],
        # The answers carrying a platform's or an endpoint's secret are kept sealed.
        response_sealer=SealedResponses(box),
        extras=Adapters(secret_box=box, listing=ListingClient(settings)),
    )
    return create_http_app(
        runtime,
        title="ipmarket webhooks",
        description=(
            "Publish once, reach every platform (一点发布、全网通达). Connected trading "
            "platforms subscribe endpoints to public events and receive them as signed "
            "Standard Webhooks requests carrying CloudEvents; they publish their own supply "
            "listings and demands into the network by signed inbound webhooks."
        ),
        routers=[
            platforms_api.router,
            endpoints_api.router,
            deliveries_api.router,
            inbound_api.router,
            outbound_events_api.router,
        ],
        openapi_tags=[
            {"name": "platforms", "description": "Connected trading platforms (operator)."},
            {"name": "endpoints", "description": "Where and what a platform receives."},
            {"name": "deliveries", "description": "Attempts, failures and replay."},
            {"name": "inbound", "description": "Platforms publishing into the network."},
            {"name": "outbound-events", "description": "Events received for delivery."},
        ],
    )
