"""Bootstrap of the statistics service process."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from ip_statistics import api, consumers
from ip_statistics.api.console import install_console
from ip_statistics.config import StatisticsSettings
from ip_statistics.models import infrastructure
from shared.http.app import create_http_app
from shared.runtime import ConsumerSpec, ServiceRuntime

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def create_app(settings: StatisticsSettings | None = None) -> FastAPI:
    settings = settings or StatisticsSettings()
    runtime = ServiceRuntime(
        settings,
        tables=infrastructure,
        migrations_dir=MIGRATIONS,
        publishes=set(),
        consumers=[ConsumerSpec(consumers.GROUP_ID, consumers.router)],
    )
    app = create_http_app(
        runtime,
        title="ipmarket statistics",
        description=(
            "Statistics of IP trading (知识产权交易统计): open-licence declarations, "
            "licences, filings, transfers, pledges, technology-contract registrations, "
            "inventory and tiers, matching and mediation, by month, region (GB/T 2260), "
            "industry (GB/T 4754) and the patentee's party type, from every public event."
        ),
        routers=api.routers(),
        openapi_tags=[
            {
                "name": "statistics",
                "description": "Figures, their exports, inventory coverage and the year's summary.",
            }
        ],
    )
    return install_console(app)
