"""Matching's HTTP API: one package per area (``api/<area>/endpoints.py`` + ``schemas.py``)."""

from __future__ import annotations

from fastapi import APIRouter

from matching.api.campaigns.endpoints import router as campaigns
from matching.api.feedback.endpoints import router as feedback
from matching.api.matches.endpoints import router as matches
from matching.api.outcomes.endpoints import router as outcomes_router
from matching.api.profiles import endpoints as profiles
from matching.api.pushes.endpoints import router as pushes


def routers() -> list[APIRouter]:
    """Every area's router, for ``create_http_app``."""
    return [
        profiles.router,
        profiles.uploads,
        matches,
        pushes,
        feedback,
        campaigns,
        outcomes_router,
    ]
