"""Bootstrap of the matching service process."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from matching import api, consumers, workers
from matching.config import MatchingSettings
from matching.models import infrastructure
from shared.events import topics
from shared.http.app import create_http_app
from shared.runtime import ConsumerSpec, ServiceRuntime

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def create_app(settings: MatchingSettings | None = None) -> FastAPI:
    settings = settings or MatchingSettings()
    runtime = ServiceRuntime(
        settings,
        tables=infrastructure,
        migrations_dir=MIGRATIONS,
        publishes={topics.MATCHING},
        # What the consumers queue for matching, the matcher takes at once.
        consumers=[
            ConsumerSpec(consumers.GROUP_ID, consumers.router, wakes=frozenset({workers.MATCHER}))
        ],
        workers=[
            workers.profile_uploads,
            workers.matcher,
            workers.rematcher,
            workers.pusher,
            workers.campaign_runner,
        ],
    )
    return create_http_app(
        runtime,
        title="ipmarket matching",
        description=(
            "Matching and push (供需对接): stock patents matched to the enterprises of the "
            "industries that can use them, pushed to their inboxes, their feedback "
            "(企业市场化评价) collected, campaigns run and outcomes measured."
        ),
        routers=api.routers(),
        openapi_tags=[
            {
                "name": "enterprise profiles",
                "description": "Enterprise profiles (企业画像), consent to pushes, the "
                "operator's bulk import.",
            }
        ],
    )
