"""Bootstrap of the webhooks service process."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from shared.http.app import create_http_app
from shared.runtime import ConsumerSpec, ServiceRuntime
from webhooks import consumers
from webhooks.api.endpoints import router
from webhooks.config import WebhooksSettings
from webhooks.models import infrastructure

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def create_app(settings: WebhooksSettings | None = None) -> FastAPI:
    settings = settings or WebhooksSettings()
    runtime = ServiceRuntime(
        settings,
        tables=infrastructure,
        migrations_dir=MIGRATIONS,
        publishes=set(),
        consumers=[ConsumerSpec(consumers.GROUP_ID, consumers.router)],
    )
    return create_http_app(
        runtime,
        title="ipmarket webhooks",
        description=(
            "Publish once, reach every platform (一点发布、全网通达): the events queued for "
            "connected trading platforms."
        ),
        routers=[router],
        openapi_tags=[{"name": "outbound-events", "description": "Events to deliver."}],
    )
