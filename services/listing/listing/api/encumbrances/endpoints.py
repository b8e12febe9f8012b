"""Encumbrance endpoints: what listing learned of pledges and exclusive licences."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from listing.api.deps import Caller, NumberPath
from listing.api.encumbrances import schemas
from listing.encumbrances import service
from shared.http.dependencies import UnitOfWorkDep
from shared.http.routes import StrictRoute

router = APIRouter(route_class=StrictRoute)


@router.get(
    "/patents/{application_number}/encumbrances",
    response_model=schemas.EncumbranceList,
    tags=["patents"],
    summary="Pledges and exclusive licences in force on a patent",
)
async def list_encumbrances(
    application_number: NumberPath,
    uow: UnitOfWorkDep,
    _: Caller,
    include_released: Annotated[bool, Query()] = False,
) -> schemas.EncumbranceList:
    """What blocks an open-licence declaration: registered pledges (with whether the
    pledgee consented to an open licence) and exclusive or sole licences in force, as
    listing learned them from the pledge and license services' events. With
    `include_released=true` the history too: cancelled pledges and ended licences, with
    `released_at`."""
    encumbrances = await service.list_encumbrances(
        uow, application_number, include_released=include_released
    )
    return schemas.EncumbranceList(
        items=[
            schemas.EncumbrancePublic(
                kind=e.kind.value,
                reference_id=e.reference_id,
                holder=e.holder,
                open_license_consented=e.open_license_consented,
                effective_from=e.effective_from,
                released_at=e.released_at,
            )
            for e in encumbrances
        ]
    )
