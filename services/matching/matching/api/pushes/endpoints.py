"""An enterprise's inbox: the patents pushed to it, ranked, and each one read."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from matching.api.deps import EnterpriseReader
from matching.api.pushes import schemas
from matching.domain.errors import EnterpriseUsccMissing
from matching.pushes import service
from matching.pushes.commands import OpenPush, ReadInbox
from shared.auth import Principal
from shared.http.dependencies import PageDep, UnitOfWorkDep
from shared.http.pagination import Page
from shared.http.routes import StrictRoute

router = APIRouter(route_class=StrictRoute, tags=["inbox"])

PushId = Annotated[str, Path(min_length=1, max_length=36, description="The push's id.")]


def enterprise_uscc(principal: Principal) -> str:
    """The calling enterprise's USCC: pushes are addressed to it."""
    if principal.uscc is None:
        raise EnterpriseUsccMissing(
            "uscc: the calling enterprise has no unified social credit code; pushes and "
            "feedback are addressed by it"
        )
    return principal.uscc


@router.get("/inbox", response_model=Page[schemas.InboxItemOut], summary="Your inbox (推送)")
async def inbox(
    principal: EnterpriseReader,
    uow: UnitOfWorkDep,
    page: PageDep,
    unopened: Annotated[bool, Query(description="Only the pushes you have not read.")] = False,
) -> Page[schemas.InboxItemOut]:
    """The patents matching pushed to your enterprise, best score first, then newest,
    one page at a time. Each carries why it was pushed (each factor's contribution, the
    terms your profile and the patent share, which IPC group led to which industry class
    and which of your codes it met) and your feedback if you gave it. Listing the inbox
    opens nothing: `GET /v1/inbox/{push_id}` does."""
    after = page.after(schemas.InboxCursor)
    entries = await service.read_inbox(
        uow,
        ReadInbox(
            enterprise_uscc=enterprise_uscc(principal),
            unopened=unopened,
            limit=page.limit,
            after=after.position if after else None,
        ),
    )
    last = entries[-1].push if len(entries) == page.limit else None
    cursor = (
        schemas.InboxCursor(s=last.score, t=last.pushed_at, id=last.push_id).cursor()
        if last
        else None
    )
    return Page(items=[schemas.InboxItemOut.of(e) for e in entries], next_cursor=cursor)


@router.get(
    "/inbox/{push_id}", response_model=schemas.InboxItemOut, summary="Read one pushed patent"
)
async def read_push(
    push_id: PushId, principal: EnterpriseReader, uow: UnitOfWorkDep
) -> schemas.InboxItemOut:
    """One push of your inbox. The first read marks it opened and publishes
    `cn.ipmarket.matching.push.opened.v1`; later reads change nothing. A push that
    reached another enterprise: 404 `push-unknown`."""
    entry = await service.open_push(
        uow,
        OpenPush(
            enterprise_uscc=enterprise_uscc(principal),
            enterprise_org_id=principal.org_id,
            enterprise_name=principal.org_name,
            push_id=push_id,
        ),
    )
    await uow.commit()
    return schemas.InboxItemOut.of(entry)
