"""Filing (备案) endpoints: thin — parse, build the command, call the service, shape
the response."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, status

from license.api import examples
from license.api import schemas as shared
from license.api.deps import FilingClockDep, Licensee
from license.api.filing import schemas
from license.api.licenses.endpoints import LicenseIdPath, license_public
from license.filing import service
from license.filing.commands import RecordFiling
from shared.http.dependencies import UnitOfWorkDep
from shared.http.routes import StrictRoute

router = APIRouter(route_class=StrictRoute)


@router.post(
    "/licenses/{license_id}/filing",
    status_code=status.HTTP_201_CREATED,
    response_model=shared.LicensePublic,
    tags=["filing"],
    summary="登记备案号 Record the licence's filing (备案) with CNIPA",
)
async def record_filing(
    license_id: LicenseIdPath,
    body: Annotated[schemas.FilingCreate, Body(openapi_examples=examples.FILING)],
    principal: Licensee,
    uow: UnitOfWorkDep,
    clock: FilingClockDep,
) -> shared.LicensePublic:
    """许可合同须在生效之日起3个月内备案。持有备案通知书的许可人或被许可人录入备案号和备案日期；
    质押中的专利须有质权人同意方可备案。截止前15天和逾期时系统各发送一次提醒事件。

    Enter the filing number (备案号) and date from CNIPA's filing notice
    (备案通知书). Either party holding the notice may do it: the licensee or a licensor.
    The licence becomes `filed` and `cn.ipmarket.license.filing.recorded.v1` is published
    (with `late: true` if filed after `filing_deadline`).

    A licence must be filed within three months of taking effect (`filing_deadline`).
    Until it is, the service publishes `cn.ipmarket.license.filing.due.v1` 15 days
    before the deadline and `cn.ipmarket.license.filing.overdue.v1` once it has passed,
    once each; `filing_alert` on the licence shows the level as of today (`due`,
    `overdue`), read from the deadline, so it never waits for the watch.

    Refusals: 409 `invalid-state-transition` unless the licence is `active` (an open
    licence is active once paid); 422 `license-filing-date-invalid` when `filed_on` is
    before the licence's effect or after today; 422
    `license-filing-pledged-without-consent` when the patent is pledged and the pledgee
    has not consented to this licence (consent to the open licence, or to licences for
    any licensee or this one); 404 `not-found` for anyone not party to the licence.
    """
    command = RecordFiling(license_id, body.filing_number, body.filed_on)
    licence = await service.record_filing(uow, principal, command)
    await uow.commit()
    return license_public(licence, clock)
