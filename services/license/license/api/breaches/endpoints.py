"""Breach register endpoints: thin — parse, build the query, call the service, shape the
response."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from license.api.breaches import schemas
from license.api.deps import Caller
from license.breaches import service
from license.breaches.commands import ListBreaches
from license.domain.breach import Breach
from license.domain.royalty import BreachKind
from shared.http.dependencies import PageDep, UnitOfWorkDep
from shared.http.pagination import Page, TimeIdPosition
from shared.http.routes import StrictRoute
from shared.http.types import UsccStr

router = APIRouter(route_class=StrictRoute)


@router.get(
    "/breaches",
    response_model=Page[schemas.BreachPublic],
    tags=["breaches"],
    summary="违约记录 The operator's register of late royalty reports and payments",
)
async def list_breaches(
    page: PageDep,
    principal: Caller,
    uow: UnitOfWorkDep,
    party_uscc: Annotated[UsccStr | None, Query()] = None,
    license_id: Annotated[str | None, Query(max_length=36)] = None,
    kind: Annotated[BreachKind | None, Query()] = None,
) -> Page[schemas.BreachPublic]:
    """平台运营方查看违约记录（逾期未报告提成费、逾期未付清提成费），每项许可、每个报告期、每
    类违约只记录一次，
    可按当事人统一社会信用代码筛选。

    Every breach recorded against a party, newest first: `royalty_report_overdue`
    (no report by the due date) and `royalty_payment_overdue` (reported but not fully
    paid by the due date), one per licence, period and kind. Filter by the party's
    USCC, the licence or the kind. Operator only (403 `operator-only`)."""
    after = page.after(TimeIdPosition)
    query = ListBreaches(
        limit=page.limit,
        after=after.key if after else None,
        party_uscc=party_uscc,
        license_id=license_id,
        kind=kind,
    )
    breaches = await service.list_breaches(uow, principal, query)
    items = [_breach_public(b) for b in breaches]
    return Page(items=items, next_cursor=page.next_cursor(breaches, _position))


def _breach_public(breach: Breach) -> schemas.BreachPublic:
    # The register's response has the breach's own fields.
    return schemas.BreachPublic.model_validate(breach, from_attributes=True)


def _position(breach: Breach) -> TimeIdPosition:
    return TimeIdPosition(t=breach.recorded_at, id=breach.id)
