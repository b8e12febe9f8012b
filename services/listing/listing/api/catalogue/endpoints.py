"""Catalogue endpoints: thin — parse, call the use case, shape the response."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from listing.api.catalogue import schemas
from listing.api.deps import Caller, NumberPath, Operator, PatenteeOrOperator
from listing.api.schemas import NumberPosition
from listing.catalogue import queries, service
from shared.domain import ApplicationNumber
from shared.http.dependencies import GenericReadPoolDep, PageDep, UnitOfWorkDep
from shared.http.pagination import Page
from shared.http.routes import StrictRoute

router = APIRouter(route_class=StrictRoute)


@router.post(
    "/patents",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.PatentPublic,
    tags=["patents"],
    summary="Register a patent in the catalogue",
)
async def register_patent(
    body: schemas.PatentCreate, principal: PatenteeOrOperator, uow: UnitOfWorkDep
) -> schemas.PatentPublic:
    """Enter a patent into the catalogue; publishes `cn.ipmarket.listing.patent.registered.v1`.

    The application number is validated with its check digit and stored normalised
    (`201710601862.3`); the patent type follows from it and the expiry date from the type
    and filing date. A patentee may register its own patents (its token's USCC must be
    among the patentees); the operator may register any.
    """
    patent = await service.register_patent(uow, principal, body.to_command())
    await uow.commit()
    return schemas.PatentPublic.of(patent)


@router.get(
    "/patents",
    response_model=Page[schemas.PatentPublic],
    tags=["patents"],
    summary="List catalogued patents",
)
async def list_patents(page: PageDep, uow: UnitOfWorkDep, _: Caller) -> Page[schemas.PatentPublic]:
    """Patents in application-number order, one page at a time."""
    after = page.after(NumberPosition)
    patents = await service.list_patents(uow, page.limit, after.n if after else None)
    items = [schemas.PatentPublic.of(p) for p in patents]
    cursor = (
        NumberPosition(n=patents[-1].application_number.value).cursor()
        if len(patents) == page.limit
        else None
    )
    return Page(items=items, next_cursor=cursor)


@router.get(
    "/patents/{application_number}",
    response_model=schemas.PatentPublic,
    tags=["patents"],
    summary="Get one patent",
)
async def get_patent(
    application_number: NumberPath, pool: GenericReadPoolDep, _: Caller
) -> Response:
    """One patent by application number (`CN201710601862.3`, `2017106018623` also work)."""
    # PostgreSQL writes the published JSON (search.queries.PUBLIC_COLUMNS): no decoding,
    # validating and encoding of the row again here.
    return Response(
        await queries.patent_json(pool, application_number), media_type="application/json"
    )


@router.post(
    "/patents/{application_number}/transfers",
    response_model=schemas.PatentPublic,
    tags=["patents"],
    summary="Record a transfer registered by the office (operator)",
)
async def record_transfer(
    application_number: NumberPath, body: schemas.TransferIn, _: Operator, uow: UnitOfWorkDep
) -> schemas.PatentPublic:
    """The only way a patent changes owner: publishes
    `cn.ipmarket.listing.patent.owner_changed.v1`. A pledged patent is transferred only
    with the pledgee's recorded consent to this transferee (`transfer-pledged-without-consent`)."""
    command = body.to_command(ApplicationNumber.parse(application_number).value)
    patent = await service.record_transfer(uow, command)
    await uow.commit()
    return schemas.PatentPublic.of(patent)


@router.patch(
    "/patents/{application_number}/status",
    response_model=schemas.PatentPublic,
    tags=["patents"],
    summary="Record register facts: legal status, fees, suspension (operator)",
)
async def update_patent_status(
    application_number: NumberPath,
    body: schemas.PatentStatusUpdate,
    _: Operator,
    uow: UnitOfWorkDep,
) -> schemas.PatentPublic:
    """Set facts that come from the official register; publishes
    `cn.ipmarket.listing.patent.status_changed.v1`. Operator only."""
    patent = await service.update_patent_status(uow, body.to_command(application_number))
    await uow.commit()
    return schemas.PatentPublic.of(patent)
