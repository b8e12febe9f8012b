"""The read-only pools of hot read paths (search): nothing writes through them."""

from __future__ import annotations

import asyncpg
import pytest

from shared.db.engine import create_read_pool
from tests.support.stack import Stack


@pytest.mark.parametrize(
    ("generic_plans", "plan_cache_mode"),
    [(False, "force_custom_plan"), (True, "force_generic_plan")],
)
async def test_a_read_pool_refuses_writes_and_keeps_its_settings(
    stack: Stack, generic_plans: bool, plan_cache_mode: str
) -> None:
    database = f"read_pool_{plan_cache_mode}"
    stack.postgres.create_database(database)
    url = stack.postgres.url(database)
    pool = await create_read_pool(url, 2, {"work_mem": "24MB"}, generic_plans=generic_plans)
    try:
        with pytest.raises(asyncpg.ReadOnlySQLTransactionError):
            await pool.execute("CREATE TABLE written (id int)")
        # Settings survive release and reuse (the pool's reset does not touch them).
        for _ in range(3):
            assert await pool.fetchval("SHOW work_mem") == "24MB"
            assert await pool.fetchval("SHOW plan_cache_mode") == plan_cache_mode
        assert await pool.fetchval("""SELECT '{"名称": "清华大学"}'::jsonb""") == {
            "名称": "清华大学"
        }
    finally:
        await pool.close()


async def test_the_caller_cannot_unset_read_only_or_the_plan_mode(stack: Stack) -> None:
    stack.postgres.create_database("read_pool_overrides")
    url = stack.postgres.url("read_pool_overrides")
    overrides = {"default_transaction_read_only": "off", "plan_cache_mode": "auto"}
    pool = await create_read_pool(url, 1, overrides, generic_plans=True)
    try:
        assert await pool.fetchval("SHOW default_transaction_read_only") == "on"
        assert await pool.fetchval("SHOW plan_cache_mode") == "force_generic_plan"
    finally:
        await pool.close()
