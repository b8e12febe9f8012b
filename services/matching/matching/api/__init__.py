"""Matching's HTTP API: one package per area (``api/<area>/endpoints.py`` + ``schemas.py``)."""

from __future__ import annotations

from fastapi import APIRouter

from matching.api.outcomes.endpoints import router as outcomes_router
from matching.api.profiles import endpoints as profiles


def routers() -> list[APIRouter]:
    """Every area's router, for ``create_http_app``."""
    return [profiles.router, profiles.uploads, outcomes_router]
