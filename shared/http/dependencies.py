"""Dependencies every service's endpoints use: ``UnitOfWorkDep``, ``ReadPoolDep``,
``PageDep``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

import asyncpg
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


async def get_read_pool(request: Request) -> asyncpg.Pool:
    """The service's read-only pool (``ServiceRuntime(read_pool_settings=...)``)."""
    pool = get_runtime(request).read_pool
    if pool is None:
        raise RuntimeError("this service was built without a read pool")
    return pool


ReadPoolDep = Annotated[asyncpg.Pool, Depends(get_read_pool)]
UnitOfWorkDep = Annotated[UnitOfWork, Depends(get_uow)]
PageDep = Annotated[PageParams, Depends(page_params)]
