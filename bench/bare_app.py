"""The baseline for GET-by-id: the least a FastAPI endpoint can do — one asyncpg query,
no auth, no ORM, no middleware. ``python bench/bare_app.py PORT DSN``."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
import uvicorn
from fastapi import FastAPI, HTTPException

DSN = sys.argv[2] if len(sys.argv) > 2 else ""
pool: asyncpg.Pool | None = None


@asynccontextmanager
async def lifespan(_: FastAPI) -> AsyncIterator[None]:
    global pool
    pool = await asyncpg.create_pool(DSN, min_size=4, max_size=10)
    yield
    await pool.close()


app = FastAPI(lifespan=lifespan)


@app.get("/patents/{number}")
async def get_patent(number: str) -> dict[str, Any]:
    assert pool is not None
    row = await pool.fetchrow(
        "SELECT application_number, patent_number, patent_type, title, abstract, ipc_codes,"
        " industry_codes, region_code, filing_date, grant_date, expiry_date, patentees::text,"
        " legal_status, annual_fee_status, suspended, under_preservation, state_funded,"
        " evaluation_report_favourable FROM patents WHERE application_number = $1",
        number,
    )
    if row is None:
        raise HTTPException(404)
    return dict(row)


if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
