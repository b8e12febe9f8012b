"""Dependencies every service's endpoints use: ``UnitOfWorkDep``, ``ReadPoolDep``,
``GenericReadPoolDep``, ``PageDep``."""

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
    """The service's read-only pool that plans each statement for its values
    (``ServiceRuntime(read_pool_settings=...)``)."""
    return _configured(get_runtime(request).read_pool)


async def get_generic_read_pool(request: Request) -> asyncpg.Pool:
    """The service's read-only pool that plans each statement once: for statements
    whose best plan does not depend on the values (``shared.db.engine.create_read_pool``)."""
    return _configured(get_runtime(request).generic_read_pool)


def _configured(pool: asyncpg.Pool | None) -> asyncpg.Pool:
    if pool is None:
        raise RuntimeError("this service was built without read pools")
    return pool


ReadPoolDep = Annotated[asyncpg.Pool, Depends(get_read_pool)]
GenericReadPoolDep = Annotated[asyncpg.Pool, Depends(get_generic_read_pool)]
UnitOfWorkDep = Annotated[UnitOfWork, Depends(get_uow)]
PageDep = Annotated[PageParams, Depends(page_params)]
