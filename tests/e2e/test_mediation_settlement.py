"""A mediation settlement changes a licence's royalty rate, across real processes: the
patent is declared in the listing process; a license process whose clock the test moves
(mediation deadlines count on the working-day calendar of 2025) learns it from listing's
events, records a negotiated running-royalty licence, and mediates a dispute over it to
a settlement both parties sign; the next royalty report computes with the new rate."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import httpx
import pytest

from devstack.ports import free_port
from devstack.processes import ServiceProcess
from devstack.services import SERVICES, service_process
from shared.auth import OrgType
from shared.clock import ControllableClock, move_clock
from shared.domain.calendar import SHANGHAI
from shared.settings import ServiceSettings
from tests.e2e.conftest import System
from tests.support.stack import application_number, eventually, org, real_today

pytestmark = pytest.mark.e2e

SETTINGS = ServiceSettings()  # the services' default development signing key
LICENSE = next(d for d in SERVICES if d.name == "license")


@pytest.fixture
def clock_file(tmp_path: Path) -> Path:
    return tmp_path / "clock.json"


def set_today(clock_file: Path, day: date) -> None:
    target = datetime.combine(day, time(10), tzinfo=SHANGHAI)
    move_clock(clock_file, by=target - ControllableClock(clock_file).now())


@pytest.fixture
def license_on_a_moved_clock(system: System, clock_file: Path) -> Iterator[ServiceProcess]:
    """A license process beside the system's, on the system's broker, with a database,
    a consumer group and a clock of its own."""
    database = f"license_mediation_{uuid.uuid4().hex[:8]}"
    system.stack.postgres.create_database(database)
    logs = system.stack.root / "logs"
    logs.mkdir(exist_ok=True)
    process = service_process(
        LICENSE,
        database_url=system.stack.postgres.url(database),
        bootstrap=system.broker.bootstrap_servers,
        port=free_port(),
        log_dir=logs,
        extra_env={
            "LOG_LEVEL": "WARNING",
            "ENVIRONMENT": "test",
            "CLOCK_FILE": str(clock_file),
            "DEADLINE_WATCH_INTERVAL_S": "0.2",
            "KAFKA_CONSUMER_GROUP": f"test-{database}",
        },
        label="license-mediation",
    )
    process.start()
    try:
        process.wait_ready(timeout=90)
        yield process
    finally:
        process.stop(timeout=15)


async def test_a_signed_settlement_sets_the_rate_of_the_next_royalty_report(
    system: System, license_on_a_moved_clock: ServiceProcess, clock_file: Path
) -> None:
    university = org(OrgType.UNIVERSITY, "华南理工大学")
    enterprise = org(OrgType.ENTERPRISE, "广州小鹏汽车科技有限公司")
    mediator = org(OrgType.MEDIATOR, "广东省知识产权纠纷人民调解委员会")
    uni, ent, med = (o.headers(SETTINGS) for o in (university, enterprise, mediator))
    listing = system.url("listing")
    licence_api = license_on_a_moved_clock.url
    number = application_number(2019, 1)
    year = real_today().year

    async with httpx.AsyncClient(timeout=15) as http:
        created = await http.post(
            f"{listing}/v1/patents",
            json={
                "application_number": number,
                "title": "一种动力电池热失控预警方法",
                "ipc_codes": ["H01M 10/48"],
                "region_code": "440100",
                "filing_date": "2019-03-12",
                "grant_date": "2021-05-18",
                "patentees": [
                    {
                        "name": university.name,
                        "uscc": university.uscc,
                        "share": "100",
                        "party_type": "university",
                    }
                ],
            },
            headers=uni,
        )
        assert created.status_code == 201, created.text
        draft = await http.post(
            f"{listing}/v1/declarations",
            json={
                "application_number": number,
                "terms": {
                    "payment_mode": "lump_sum",
                    "lump_sum_fee": "80000.00",
                    "term_start": f"{year}-01-01",
                    "term_end": f"{year + 3}-12-31",
                },
                "description": "适用于新能源汽车电池管理系统。",
            },
            headers=uni,
        )
        assert draft.status_code == 201, draft.text
        announced = await http.post(
            f"{listing}/v1/declarations/{draft.json()['id']}/submit", headers=uni
        )
        assert announced.status_code == 200, announced.text

        set_today(clock_file, date(2025, 2, 10))

        async def negotiated() -> dict[str, Any] | None:
            # Recorded once the license process has learned the declaration from listing.
            response = await http.post(
                f"{licence_api}/v1/negotiated-licenses",
                json={
                    "application_number": number,
                    "kind": "ordinary",
                    "licensee": {
                        "name": enterprise.name,
                        "uscc": enterprise.uscc,
                        "org_id": enterprise.org_id,
                    },
                    "terms": {
                        "payment_mode": "running_royalty",
                        "royalty_base": "net_sales",
                        "royalty_rate": "3.5",
                        "payment_schedule": "每年3月31日前按上一年度净销售额支付",
                        "term_start": "2024-01-01",
                        "term_end": "2027-12-31",
                    },
                    "effective_date": "2024-01-01",
                },
                headers=uni,
            )
            return response.json() if response.status_code == 201 else None

        licence = await eventually(negotiated, timeout=30, interval=0.2)
        royalties = f"{licence_api}/v1/licenses/{licence['id']}/royalties"
        periods = (await http.get(royalties, headers=ent)).json()
        y2024, y2025 = periods[0], periods[1]
        base = {"base_amount": {"amount": "1000000.00", "currency": "CNY"}}
        first = await http.post(f"{royalties}/{y2024['id']}/report", json=base, headers=ent)
        assert first.json()["amount_due"]["amount"] == "35000.00", first.text

        cases = f"{licence_api}/v1/mediation-cases"

        async def post(path: str, headers: dict[str, str], body: Any = None) -> dict[str, Any]:
            response = await http.post(f"{cases}{path}", json=body, headers=headers)
            assert response.status_code in (200, 201), response.text
            result: dict[str, Any] = response.json()
            return result

        case = await post(
            "",
            ent,
            {
                "license_id": licence["id"],
                "mediator": {"org_id": mediator.org_id, "name": mediator.name},
                "claims": "提成比例高于同类许可，请求调解降低提成比例",
                "dispute_arose_on": "2024-12-15",
            },
        )
        path = f"/{case['id']}"
        await post(f"{path}/response", uni, {"agrees": True})
        accepted = await post(f"{path}/acceptance", med)
        # Accepted Mon 02-10: + 30 = Wed 03-12, a working day.
        assert accepted["closing_deadline"] == "2025-03-12"
        await post(
            f"{path}/settlement",
            med,
            {"royalty_rate": "2.0", "effective_from": "2025-01-01", "other_terms": "其余条款不变"},
        )
        await post(f"{path}/settlement/signatures", ent)
        await post(f"{path}/settlement/signatures", uni)
        closed = await post(f"{path}/closure", med)
        assert closed["status"] == "settled"

        set_today(clock_file, date(2026, 1, 5))
        second = await http.post(f"{royalties}/{y2025['id']}/report", json=base, headers=ent)
        assert second.status_code == 200, second.text
        assert second.json()["royalty_rate"] == "2"
        assert second.json()["amount_due"]["amount"] == "20000.00"
