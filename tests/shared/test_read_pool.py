"""The read-only pool of hot read paths (search): nothing writes through it."""

from __future__ import annotations

import asyncpg
import pytest

from shared.db.engine import create_read_pool
from tests.support.stack import Stack


async def test_the_read_pool_refuses_writes_and_keeps_its_settings(stack: Stack) -> None:
    stack.postgres.create_database("read_pool")
    url = stack.postgres.url("read_pool")
    pool = await create_read_pool(url, 2, {"work_mem": "24MB"})
    try:
        with pytest.raises(asyncpg.ReadOnlySQLTransactionError):
            await pool.execute("CREATE TABLE written (id int)")
        # Settings survive release and reuse (the pool's reset does not touch them).
        for _ in range(3):
            assert await pool.fetchval("SHOW work_mem") == "24MB"
            assert await pool.fetchval("SHOW plan_cache_mode") == "force_custom_plan"
        assert await pool.fetchval("""SELECT '{"名称": "清华大学"}'::jsonb""") == {
            "名称": "清华大学"
        }
    finally:
        await pool.close()
