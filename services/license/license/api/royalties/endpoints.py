"""Running-royalty endpoints: thin — parse, build the command, call the service, shape
the response."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Body, Path

from license.api import examples
from license.api.deps import Caller, Licensee
from license.api.licenses.endpoints import LicenseIdPath
from license.api.royalties import schemas
from license.api.schemas import money_or_none
from license.domain.royalty import RoyaltyPeriodState
from license.royalties import service
from license.royalties.commands import ReportRoyalty
from shared.http.dependencies import UnitOfWorkDep
from shared.http.routes import StrictRoute
from shared.http.types import MoneyModel

router = APIRouter(route_class=StrictRoute)

PeriodIdPath = Annotated[str, Path(max_length=36, description="Id of the royalty period.")]


@router.get(
    "/licenses/{license_id}/royalties",
    response_model=list[schemas.RoyaltyPeriodPublic],
    tags=["royalties"],
    summary="提成费期间 The running-royalty periods of a licence",
)
async def list_royalty_periods(
    license_id: LicenseIdPath, principal: Caller, uow: UnitOfWorkDep
) -> list[schemas.RoyaltyPeriodPublic]:
    """提成费许可的各报告期：起止日期、报告和付款截止日、申报的提成基数、应付金额和已付金额。
    报告期和截止日按许可所接受条款中声明的提成费报告安排（royalty_schedule）确定；早期条款未声明的，
    由付款方式文字推断，并标注为 inferred。

    Each reporting period of a running-royalty licence (running royalty or entry fee
    plus royalty), oldest first: its dates, the day its report and payment are due, the
    reported base, the amount due and what was paid against it. Empty for lump-sum and
    free licences. Visible to the licence's parties and the operator (404 `not-found` for
    anyone else, as for a licence that does not exist).

    Periods are fixed when the licence takes effect, from the terms version it accepted
    (later versions never change them). They follow the calendar (years, half-years,
    quarters, months), the first starting on the effective date and the last ending with
    the licence term. `schedule_source` says where they come from:

    - `declared`: the terms' `royalty_schedule` (e.g. quarterly, due 30 days after each
      quarter; or annual, due on `annual_due` 03-31 of the following year).
    - `inferred`: the terms were announced before schedules were declared and have only
      the free text `payment_schedule`; the service read it: quarterly if it mentions 季,
      monthly for 每月 / 按月 / 月度, otherwise yearly; a yearly "3月31日" means due on
      31 March of the next year, otherwise 30 days after the period. Check such dates
      against the text with the other party."""
    periods = await service.periods_of(uow, principal, license_id)
    return [_period_public(p) for p in periods]


@router.post(
    "/licenses/{license_id}/royalties/{period_id}/report",
    response_model=schemas.RoyaltyPeriodPublic,
    tags=["royalties"],
    summary="提成费报告 Report the royalty base of an ended period",
)
async def report_royalty(
    license_id: LicenseIdPath,
    period_id: PeriodIdPath,
    body: Annotated[schemas.RoyaltyReportCreate, Body(openapi_examples=examples.ROYALTY_REPORT)],
    principal: Licensee,
    uow: UnitOfWorkDep,
) -> schemas.RoyaltyPeriodPublic:
    """被许可人申报某一已结束报告期的净销售额或利润；应付提成费 = 基数 × 提成比例，按四舍五入
    （ROUND_HALF_UP）
    精确到分。逾期未报告或未付清的，记录为被许可人的违约。

    The licensee reports its net sales (净销售额) or profit (利润) of the period, as
    the terms' `royalty_base` says. The amount due is `base_amount × royalty_rate / 100`,
    computed exactly and rounded half-up to the fen (1,000,000.00 at 3.5 % is
    35,000.00; 100.10 at 3.5 % is 3.5035, so 3.50). `cn.ipmarket.license.royalty.reported.v1`
    is published. Pay it with `POST /v1/licenses/{id}/payments` naming the period in
    `royalty_period_id`.

    A report or payment still missing after `due_date` is recorded as a breach against
    the licensee (`GET /v1/breaches`) and `cn.ipmarket.license.breach.recorded.v1` is
    published; a late report is still accepted.

    Refusals: 403 `not-licensee` for a licensor (404 `not-found` for anyone not party to
    the licence); 422 `license-not-running-royalty`; 404
    `royalty-period-unknown`; 422 `royalty-period-not-ended` before the period's end;
    409 `royalty-already-reported`; 409 `royalty-period-cancelled` for a period that
    starts after the licence ended (the periods of its term are still reported).
    """
    command = ReportRoyalty(license_id, period_id, body.base_amount.amount)
    period = await service.report(uow, principal, command)
    await uow.commit()
    return _period_public(period)


def _period_public(period: RoyaltyPeriodState) -> schemas.RoyaltyPeriodPublic:
    rate = Decimal(period.rate).normalize()
    return schemas.RoyaltyPeriodPublic(
        id=period.id,
        period_start=period.start,
        period_end=period.end,
        due_date=period.due_date,
        schedule_source=period.schedule_source,
        royalty_base=period.royalty_base,
        royalty_rate=f"{rate:f}",
        base_amount=money_or_none(period.base_amount),
        amount_due=money_or_none(period.amount_due),
        amount_paid=MoneyModel(amount=period.amount_paid.amount),
        reported_at=period.reported_at,
        report_overdue=period.report_breach_recorded,
        payment_overdue=period.payment_breach_recorded,
        cancelled_on=period.cancelled_on,
    )
