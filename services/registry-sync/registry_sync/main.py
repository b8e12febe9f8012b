"""Bootstrap of the registry-sync service process."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from registry_sync import consumers, workers
from registry_sync.api.reconciliation import endpoints as reconciliation
from registry_sync.api.recordals.endpoints import router as recordals_router
from registry_sync.api.registrations.endpoints import router
from registry_sync.api.tax_evidence import endpoints as tax_evidence
from registry_sync.config import RegistrySyncSettings
from registry_sync.models import infrastructure
from shared.events import topics
from shared.http.app import create_http_app
from shared.runtime import ConsumerSpec, ServiceRuntime

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def create_app(settings: RegistrySyncSettings | None = None) -> FastAPI:
    settings = settings or RegistrySyncSettings()
    runtime = ServiceRuntime(
        settings,
        tables=infrastructure,
        migrations_dir=MIGRATIONS,
        publishes={topics.REGISTRY},
        consumers=[
            ConsumerSpec(consumers.GROUP_ID, consumers.router, wakes=consumers.WAKES),
            ConsumerSpec(
                consumers.RECORDALS_GROUP_ID,
                consumers.recordals_router,
                wakes=frozenset({"patent-office-recordals"}),
            ),
            ConsumerSpec(consumers.FILINGS_GROUP_ID, consumers.filings_router),
        ],
        workers=[
            workers.registration_submit,
            workers.registration_poll,
            workers.recordal_submitter,
            workers.legal_status_feed,
            workers.reconciliation_worker,
        ],
    )
    return create_http_app(
        runtime,
        title="ipmarket registry-sync",
        description=(
            "Technology-contract registrations (技术合同认定登记) recorded for licences and "
            "transfers, kept in step with the registration office."
        ),
        routers=[router, tax_evidence.router, recordals_router, reconciliation.router],
        openapi_tags=[
            {"name": "tech-contract-registrations", "description": "技术合同认定登记."},
            {"name": "tax-evidence", "description": "技术转让免征增值税备查资料."},
            {
                "name": "patent-office-recordals",
                "description": "专利实施许可合同备案、专利权转让登记.",
            },
            {
                "name": "reconciliation",
                "description": "备案与技术合同认定登记核对: the daily reconciliation's reports.",
            },
        ],
    )
