"""Bootstrap of the license service process."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from license import consumers
from license.api.endpoints import router
from license.config import LicenseSettings
from license.models import infrastructure
from shared.events import topics
from shared.http.app import create_http_app
from shared.runtime import ConsumerSpec, ServiceRuntime

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def create_app(settings: LicenseSettings | None = None) -> FastAPI:
    settings = settings or LicenseSettings()
    runtime = ServiceRuntime(
        settings,
        tables=infrastructure,
        migrations_dir=MIGRATIONS,
        publishes={topics.LICENSE},
        consumers=[ConsumerSpec(consumers.GROUP_ID, consumers.router)],
    )
    return create_http_app(
        runtime,
        title="ipmarket license",
        description=(
            "Licences taken on open-licence declarations (取得开放许可): accept the "
            "announced terms, report the payment, and the licence takes effect."
        ),
        routers=[router],
        openapi_tags=[
            {"name": "licenses", "description": "Licences and their payments."},
            {
                "name": "declarations",
                "description": "Open-licence declarations as this service knows them.",
            },
        ],
    )
