"""Bootstrap of the pledge service process."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from pledge import api, consumers
from pledge.adapters import Adapters
from pledge.adapters.bank_topics import BankTopics
from pledge.config import PledgeSettings
from pledge.models import infrastructure
from shared.events import topics
from shared.http.app import create_http_app
from shared.runtime import ConsumerSpec, ServiceRuntime

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def create_app(settings: PledgeSettings | None = None) -> FastAPI:
    settings = settings or PledgeSettings()
    runtime = ServiceRuntime(
        settings,
        tables=infrastructure,
        migrations_dir=MIGRATIONS,
        publishes={topics.PLEDGE},
        consumers=[ConsumerSpec(consumers.GROUP_ID, consumers.router)],
        # Each bank's topic, created again on a broker that lost it (a restarted Tansu).
        topics_query="SELECT topic FROM bank_topics",
        extras=Adapters(bank_topics=BankTopics(settings)),
    )
    return create_http_app(
        runtime,
        title="ipmarket pledge",
        description=(
            "Patent pledge financing (专利权质押融资): pledge registrations for bank loans, "
            "checked against the registration office's rules."
        ),
        routers=api.routers(),
        openapi_tags=[
            {"name": "pledges", "description": "专利权质押登记: application and registration."},
            {"name": "bank actions", "description": "What the pledgee bank records."},
            {"name": "default", "description": "Compensation claim, disposal, realisation."},
            {"name": "banks", "description": "Banks' lending policies."},
            {"name": "risk programmes", "description": "风险补偿资金池."},
            {"name": "valuations", "description": "Explainable patent valuation."},
            {"name": "insurance", "description": "Products, policies and claims."},
        ],
    )
