"""Pledge's HTTP API: one package per area (``api/<area>/endpoints.py`` + ``schemas.py``)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.routing import APIRoute

from pledge.api.bank_actions import endpoints as bank_actions
from pledge.api.banks import endpoints as banks
from pledge.api.insurance import endpoints as insurance
from pledge.api.pledges import endpoints as pledges
from pledge.api.realisation import endpoints as realisation
from pledge.api.valuations import endpoints as valuations

# The order in which the published OpenAPI document lists the paths under a pledge: it
# predates the split by area, and clients diff the document, so it is kept as it is.
_PLEDGE_PATHS = (
    "/pledges",
    "/pledges/{pledge_id}/registration",
    "/pledges/{pledge_id}/cancellation",
    "/pledges/{pledge_id}/approval",
    "/pledges/{pledge_id}/refusal",
    "/pledges/{pledge_id}/correction-request",
    "/pledges/{pledge_id}/submission",
    "/pledges/{pledge_id}/resubmission",
    "/pledges/{pledge_id}/changes",
    "/pledges/{pledge_id}/disbursement",
    "/pledges/{pledge_id}/repayments",
    "/pledges/{pledge_id}/overdue",
    "/pledges/{pledge_id}/default",
    "/pledges/{pledge_id}/compensation-claim",
    "/pledges/{pledge_id}/disposal",
    "/pledges/{pledge_id}/disposal/transfer",
    "/pledges/{pledge_id}/consents",
    "/pledges/{pledge_id}",
)


def _pledge_routes() -> APIRouter:
    """The pledges, bank actions and realisation areas' routes, in the document's order
    (a stable sort: each path's methods keep their order within their area)."""
    router = APIRouter()
    for area in (pledges.router, bank_actions.router, realisation.router):
        router.routes.extend(area.routes)
    router.routes.sort(key=lambda route: _PLEDGE_PATHS.index(_path(route)))
    return router


def _path(route: object) -> str:
    assert isinstance(route, APIRoute)
    return route.path


def routers() -> list[APIRouter]:
    """Every area's router, for ``create_http_app``."""
    return [_pledge_routes(), banks.router, valuations.router, insurance.router]
