"""Statistics' HTTP API: one package per area (``api/<area>/endpoints.py`` + ``schemas.py``)."""

from __future__ import annotations

from fastapi import APIRouter

from ip_statistics.api.figures.endpoints import router as figures


def routers() -> list[APIRouter]:
    """Every area's router, for ``create_http_app``."""
    return [figures]
