"""Recordal endpoints: thin — parse, call the service, shape the response."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Path, Query

from registry_sync.api.deps import Caller
from registry_sync.api.recordals import schemas
from registry_sync.domain.recordal import Recordal
from registry_sync.recordals import service
from shared.domain import ApplicationNumber
from shared.http.dependencies import PageDep, UnitOfWorkDep
from shared.http.pagination import Page, TimeIdPosition
from shared.http.routes import StrictRoute
from shared.http.types import ApplicationNumberStr

router = APIRouter(tags=["patent-office-recordals"], route_class=StrictRoute)


@router.get(
    "/patent-office-recordals",
    response_model=Page[schemas.RecordalPublic],
    summary="许可备案与转让登记 List recordals with the patent office",
)
async def list_recordals(
    page: PageDep,
    uow: UnitOfWorkDep,
    principal: Caller,
    application_number: Annotated[ApplicationNumberStr | None, Query()] = None,
    source_reference: Annotated[
        str | None, Query(max_length=64, description="Licence or deal id.")
    ] = None,
) -> Page[schemas.RecordalPublic]:
    """专利实施许可合同备案与专利权转让登记（平台代为提交），按创建时间倒序。

    Licence filings and transfer registrations the platform submits to the patent office
    on the parties' behalf, newest first, with the office's receipt, decision, number or
    refusal reasons. The operator and regulators see all; any other organisation sees
    those where its USCC is a party."""
    after = page.after(TimeIdPosition)
    recordals = await service.list_recordals(
        uow,
        principal,
        limit=page.limit,
        after=after.key if after else None,
        application_number=(
            ApplicationNumber.parse(application_number).value if application_number else None
        ),
        source_reference=source_reference,
    )
    cursor = None
    if len(recordals) == page.limit:
        last = recordals[-1]
        cursor = TimeIdPosition(t=last.created_at, id=last.id).cursor()
    return Page(items=[_public(r) for r in recordals], next_cursor=cursor)


@router.get(
    "/patent-office-recordals/{recordal_id}",
    response_model=schemas.RecordalPublic,
    summary="备案/登记详情 Get one recordal with the patent office",
)
async def get_recordal(
    recordal_id: Annotated[str, Path(max_length=36)], uow: UnitOfWorkDep, principal: Caller
) -> schemas.RecordalPublic:
    """一项备案或转让登记的详情。

    One recordal; visible to its parties, the operator and regulators (404 otherwise,
    as for one that does not exist)."""
    return _public(await service.get_recordal(uow, principal, recordal_id))


def _public(recordal: Recordal) -> schemas.RecordalPublic:
    return schemas.RecordalPublic.model_validate(asdict(recordal))
