"""Inbound webhooks: thin — parse, build the command, call the service, shape the
response."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response, status
from fastapi.responses import JSONResponse

from shared.http.dependencies import UnitOfWorkDep, get_runtime
from shared.http.routes import StrictRoute
from webhooks.adapters import Adapters
from webhooks.api.deps import BoxDep, Id, SettingsDep
from webhooks.api.inbound import schemas
from webhooks.inbound import service
from webhooks.inbound.commands import ReceiveInbound

router = APIRouter(route_class=StrictRoute)


@router.post(
    "/inbound/{platform_id}",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.InboundAccepted,
    tags=["inbound"],
    summary="A platform publishes, updates or closes a supply listing or demand (signed webhook)",
    responses={
        200: {"description": "Updated or closed.", "model": schemas.InboundAccepted},
        401: {"description": "Signature, timestamp or headers not accepted."},
        403: {"description": "`listing-not-publisher`: another platform published it."},
        404: {"description": "No listing of the platform under that id or reference."},
        409: {"description": "A repeated webhook-id, or `listing-closed`."},
    },
)
async def receive_inbound(
    platform_id: Id,
    request: Request,
    uow: UnitOfWorkDep,
    box: BoxDep,
    settings: SettingsDep,
    response: Response,
) -> schemas.InboundAccepted | JSONResponse:
    """Signed like every Standard Webhooks message with the platform's inbound secret
    (`webhook-id`, `webhook-timestamp`, `webhook-signature`), verified on the raw body;
    a timestamp more than the tolerance away is refused, and so is a repeated
    `webhook-id`. The listing is created through listing's API for the platform, so it
    is validated like any other (its problem+json answer is passed back); it then
    reaches every other platform, never its source.

    `action: update` or `close` changes a listing the platform published, named by
    `listing_id` or by its own `external_reference` (answer 200). A listing another
    platform published is refused with listing's 403 `listing-not-publisher`; a closed
    one with 409 `listing-closed`."""
    raw = await request.body()
    webhook_id, action, answer = await service.receive_inbound(
        uow,
        box,
        get_runtime(request).extras_of(Adapters).listing,
        ReceiveInbound(
            platform_id=platform_id,
            headers=request.headers,
            raw_body=raw,
            tolerance_s=settings.inbound_tolerance_s,
        ),
        read=schemas.read_inbound_listing,
    )
    if not answer.created:
        return JSONResponse(
            answer.body, status_code=answer.status_code, media_type=answer.content_type
        )
    await uow.commit()
    if action != "publish":
        response.status_code = status.HTTP_200_OK
    return schemas.InboundAccepted(
        webhook_id=webhook_id,
        action=action,
        kind=str(answer.body.get("kind", "")),
        listing_id=str(answer.body.get("id")),
    )
