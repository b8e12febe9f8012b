"""Bootstrap of the listing service process."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI

from listing import consumers
from listing.api.catalogue import endpoints as catalogue
from listing.api.coverage import endpoints as coverage
from listing.api.declarations import endpoints as declarations
from listing.api.encumbrances import endpoints as encumbrances
from listing.api.evidence import endpoints as evidence
from listing.api.funding import endpoints as funding
from listing.api.history import endpoints as history
from listing.api.industries import endpoints as industries
from listing.api.inventory import endpoints as inventory
from listing.api.market import endpoints as market
from listing.api.restatements import endpoints as restatements
from listing.api.search import endpoints as search
from listing.api.search import listings as listing_search
from listing.api.uploads import endpoints as uploads
from listing.config import ListingSettings
from listing.industries.service import use_concordance
from listing.models import infrastructure
from listing.workers import (
    declaration_expiry,
    industry_rederive,
    inventory_uploads,
    listing_expiry,
    patent_restatement,
    patent_term_sweep,
    search_index,
    state_funded_sweep,
)
from shared.events import topics
from shared.http.app import create_http_app
from shared.runtime import ConsumerSpec, ServiceRuntime

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"

# The OpenAPI document lists paths in the order their routes are added: a patent's
# routes keep the order the published document has, whichever area serves them.
PATENT_PATHS = (
    "/patents",
    "/patents/{application_number}",
    "/patents/{application_number}/encumbrances",
    "/patents/{application_number}/transfers",
    "/patents/{application_number}/timeline",
    "/patents/{application_number}/status",
)


def patent_routes() -> APIRouter:
    """The catalogue's, the encumbrance view's and the history's routes, in the
    published order (every one of them is a StrictRoute of its area's router)."""
    router = APIRouter()
    routes = [*catalogue.router.routes, *encumbrances.router.routes, *history.router.routes]
    router.routes.extend(sorted(routes, key=lambda route: PATENT_PATHS.index(route.path)))  # type: ignore[attr-defined]
    return router


def create_app(settings: ListingSettings | None = None) -> FastAPI:
    settings = settings or ListingSettings()
    # A bad replacement of the concordance stops the process here, before it serves.
    use_concordance(settings.concordance_dir)
    runtime = ServiceRuntime(
        settings,
        tables=infrastructure,
        migrations_dir=MIGRATIONS,
        publishes={topics.LISTING, topics.LISTING_RESTATEMENTS},
        consumers=[
            ConsumerSpec(consumers.GROUP_ID, consumers.router),
            ConsumerSpec(consumers.TIMELINE_GROUP_ID, consumers.timeline_router),
        ],
        workers=[
            patent_term_sweep,
            declaration_expiry,
            listing_expiry,
            state_funded_sweep,
            inventory_uploads,
            industry_rederive,
            patent_restatement,
            search_index,
        ],
        read_pool_settings={"work_mem": settings.search_work_mem},
    )
    return create_http_app(
        runtime,
        title="ipmarket listing",
        description=(
            "Patent catalogue and open-licence declarations (专利开放许可). "
            "Everything published here reaches every connected platform."
        ),
        # Routes are matched in order, one by one: search, the busiest, first.
        routers=[
            search.router,
            search.operations,
            listing_search.router,
            industries.router,
            restatements.router,
            patent_routes(),
            declarations.router,
            market.router,
            evidence.router,
            inventory.router,
            uploads.uploads,
            uploads.router,
            coverage.router,
            funding.router,
        ],
        openapi_tags=[
            {"name": "patents", "description": "The patent catalogue."},
            {"name": "declarations", "description": "Open-licence declarations."},
            {"name": "search", "description": "Catalogue search for front ends."},
            {"name": "documents", "description": "Evidence kept with its SHA-256."},
            {
                "name": "inventory",
                "description": "Stock-patent inventory (存量专利盘点): records, evaluations, "
                "tiers, coverage, and state-funded patents not exploited.",
            },
            {
                "name": "supply and demand",
                "description": "Patents offered and technical needs (供需信息).",
            },
        ],
    )
