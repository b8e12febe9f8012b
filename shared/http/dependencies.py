"""Dependencies every service's endpoints use: ``UnitOfWorkDep``, ``PageDep``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request

from shared.db.uow import UnitOfWork
from shared.http.pagination import PageParams, page_params
from shared.runtime import ServiceRuntime


def get_runtime(request: Request) -> ServiceRuntime:
    runtime: ServiceRuntime = request.app.state.runtime
    return runtime


async def get_uow(request: Request) -> AsyncIterator[UnitOfWork]:
    """A unit of work for the request; it rolls back unless the endpoint commits."""
    async with get_runtime(request).uow() as uow:
        yield uow


UnitOfWorkDep = Annotated[UnitOfWork, Depends(get_uow)]
PageDep = Annotated[PageParams, Depends(page_params)]
