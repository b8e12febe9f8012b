"""A patent-office simulator process for registry-sync's tests, and how they steer it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from devstack.ports import free_port
from devstack.processes import ServiceProcess
from devstack.services import SIMULATORS, simulator_process

PATENT_OFFICE = next(s for s in SIMULATORS if s.name == "patent-office")
# The office hangs this long on a timeout; the adapter under test gives up sooner.
HANG_S = 1.0


@contextmanager
def patent_office(log_dir: Path, **env: str) -> Iterator[ServiceProcess]:
    process = simulator_process(
        PATENT_OFFICE,
        port=free_port(),
        log_dir=log_dir,
        extra_env={
            "SIM_TIMEOUT_HANG_S": str(HANG_S),
            "SIM_DECISION_WORKING_DAYS": "0",
            "SIM_FEED_REPEAT_RATE": "0",
            **env,
        },
        label=f"patent-office-{free_port()}",
    )
    process.start()
    try:
        process.wait_ready(timeout=30)
        yield process
    finally:
        process.stop(timeout=10)


async def control(url: str, path: str, body: dict[str, Any] | None = None) -> Any:
    async with httpx.AsyncClient(base_url=url, timeout=5) as client:
        response = await (client.post(path, json=body) if body is not None else client.get(path))
        response.raise_for_status()
        return response.json()


async def queue_faults(url: str, *faults: str) -> None:
    await control(url, "/_control/faults", {"queue": list(faults)})


async def submissions(url: str, application_number: str | None = None) -> dict[str, int]:
    """The office's submission counts, of one patent when named (other tests' licences on
    the session's broker reach the office too)."""
    path = "/_control/submissions"
    if application_number is not None:
        path += f"?application_number={application_number}"
    counts: dict[str, int] = await control(url, path)
    return counts
