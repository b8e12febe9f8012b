"""The daily reconciliation on the real stack: filings planted through license's events,
registrations as the registration office's answers leave them, a run through the API,
its report (JSON, CSV) and its events."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaProducer
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine
from sqlmodel import col

from registry_sync.config import RegistrySyncSettings
from registry_sync.filings.models import FilingRecord
from registry_sync.models import TechContractRegistrationRecord
from shared.auth import OrgType
from shared.clock import clock_for
from shared.events import topics
from shared.events.envelope import CloudEvent
from shared.events.schemas import (
    EventData,
    LicenseFiled,
    LicenseGranted,
    LicenseKind,
    OrgRef,
    PatenteeRef,
    ReconciliationCompleted,
    ReconciliationMismatchFound,
    TransferAgreed,
    TransferRecorded,
)
from tests.support.stack import (
    OPERATOR_SCOPES,
    Org,
    application_number,
    eventually,
    org,
    read_topic,
)


@pytest.fixture
async def engine(registry_settings: RegistrySyncSettings) -> AsyncIterator[AsyncEngine]:
    engine = create_async_engine(registry_settings.database_url)
    yield engine
    await engine.dispose()


class Plant:
    """Filings sent as license's events; registrations written as the office's answers
    leave them (status ``registered``, a registration number, certified values)."""

    def __init__(self, settings: RegistrySyncSettings, engine: AsyncEngine, today: date) -> None:
        self.settings, self.engine, self.today = settings, engine, today
        self.events: list[EventData] = []
        self.filed: list[str] = []
        self.registrations: list[TechContractRegistrationRecord] = []
        self.seller = org(OrgType.UNIVERSITY, "浙江大学")

    def day(self, days_ago: int) -> date:
        return self.today - timedelta(days=days_ago)

    def licence(
        self,
        buyer: Org,
        *,
        effective: int,
        filed: int | None,
        value: str = "50000.00",
        kind: LicenseKind = LicenseKind.ORDINARY,
        number: str | None = None,
        filed_first: bool = False,
    ) -> str:
        """A licence effective ``effective`` days ago, filed ``filed`` days ago (None:
        not filed); returns its patent's application number."""
        number = number or application_number()
        license_id = str(uuid.uuid4())
        licensors = [OrgRef(name=self.seller.name, uscc=self.seller.uscc)]
        licensee = OrgRef(org_id=buyer.org_id, name=buyer.name, uscc=buyer.uscc)
        start = self.day(effective)
        granted = LicenseGranted(
            license_id=license_id, application_number=number, patent_number=f"ZL{number}",
            kind=kind, licensors=licensors, licensee=licensee, effective_date=start,
            term_end=start + timedelta(days=1000), filing_deadline=start + timedelta(days=90),
            contract_value=Decimal(value),
        )  # fmt: skip
        events: list[EventData] = [granted]
        if filed is not None:
            events.append(
                LicenseFiled(
                    license_id=license_id,
                    application_number=number,
                    patent_number=f"ZL{number}",
                    kind=kind,
                    licensors=licensors,
                    licensee=licensee,
                    filing_number=f"2026990{uuid.uuid4().int % 10**6:06d}",
                    filed_on=self.day(filed),
                    filing_deadline=start + timedelta(days=90),
                )
            )
            self.filed.append(license_id)
        self.events.extend(reversed(events) if filed_first else events)
        return number

    def transfer(self, buyer: Org, *, signed: int, recorded: int | None) -> str:
        number = application_number()
        deal_id = str(uuid.uuid4())
        sides: dict[str, Any] = {
            "deal_id": deal_id, "application_number": number, "patent_number": f"ZL{number}",
            "transferors": [PatenteeRef(name=self.seller.name, uscc=self.seller.uscc)],
            "transferees": [PatenteeRef(name=buyer.name, uscc=buyer.uscc, party_type="enterprise")],
            "contract_value": Decimal("800000.00"),
        }  # fmt: skip
        self.events.append(TransferAgreed(**sides, signed_on=self.day(signed)))
        if recorded is not None:
            self.events.append(
                TransferRecorded(
                    **sides, recordal_number=f"2026{number}", recorded_on=self.day(recorded)
                )
            )
            self.filed.append(deal_id)
        return number

    def registration(
        self,
        number: str,
        buyer: Org,
        *,
        signed: int,
        registered: int,
        category: str = "license",
        kind: str | None = "ordinary",
        certified: str = "50000.00",
    ) -> None:
        registration_id = str(uuid.uuid4())
        self.registrations.append(
            TechContractRegistrationRecord(
                id=registration_id,
                source_reference=str(uuid.uuid4()),
                source_kind="open_license" if category == "license" else "transfer",
                application_number=number,
                patent_number=f"ZL{number}",
                contract_category=category,
                license_kind=kind,
                seller_uscc=self.seller.uscc,
                buyer_uscc=buyer.uscc,
                contract_value=Decimal(certified),
                technology_value=Decimal(certified),
                certified_contract_value=Decimal(certified),
                certified_technology_value=Decimal(certified),
                status="registered",
                signed_on=self.day(signed),
                effective_date=self.day(signed),
                recorded_on=self.day(signed),
                registration_due=self.day(signed) + timedelta(30),
                submitted_at=datetime.now().astimezone(),
                submission_attempts=1,
                office_reference=f"TC-{registration_id[:8]}",
                registration_number=f"{uuid.uuid4().int % 10**16:016d}",
                registered_on=self.day(registered),
            )
        )

    async def send(self) -> None:
        producer = AIOKafkaProducer(bootstrap_servers=self.settings.kafka_bootstrap_servers)
        await producer.start()
        try:
            for event in self.events:
                envelope = CloudEvent(
                    id=str(uuid.uuid4()), source="/ipmarket/license", type=event.event_type,
                    data=event.model_dump(mode="json"), subject=event.subject(),
                    partitionkey=event.partition_key(),
                )  # fmt: skip
                await producer.send_and_wait(
                    topics.LICENSE,
                    value=envelope.kafka_value(),
                    key=event.partition_key().encode(),
                    headers=envelope.kafka_headers(),
                )
        finally:
            await producer.stop()
        async with AsyncSession(self.engine) as session:
            session.add_all(self.registrations)
            await session.commit()

        async def filed() -> bool:
            async with AsyncSession(self.engine) as session:
                count = await session.scalar(
                    select(func.count())
                    .select_from(FilingRecord)
                    .where(col(FilingRecord.source_reference).in_(self.filed))
                    .where(col(FilingRecord.filed_on).is_not(None))
                    .where(col(FilingRecord.started_on).is_not(None))
                )
            return count == len(self.filed)

        await eventually(filed)


async def test_a_run_finds_each_planted_mismatch_and_nothing_else(
    registry_client: httpx.AsyncClient,
    registry_settings: RegistrySyncSettings,
    engine: AsyncEngine,
) -> None:
    today = clock_for(registry_settings.clock_file).today()
    plant = Plant(registry_settings, engine, today)
    buyer = org(OrgType.ENTERPRISE, "杭州某新材料有限公司")
    other = org(OrgType.ENTERPRISE, "宁波某电机有限公司")

    clean: list[str] = []
    # A licence filed and registered in time, its events in the wrong order.
    number = plant.licence(buyer, effective=100, filed=60, filed_first=True)
    plant.registration(number, buyer, signed=100, registered=80)
    clean.append(number)
    # Values within the tolerance (0.4 %).
    number = plant.licence(buyer, effective=100, filed=60, value="50200.00")
    plant.registration(number, buyer, signed=100, registered=80)
    clean.append(number)
    number = plant.transfer(buyer, signed=100, recorded=50)
    plant.registration(
        number, buyer, signed=100, registered=90, category="transfer_patent_right",
        kind=None, certified="800000.00",
    )  # fmt: skip
    clean.append(number)
    # Not yet due: filed, effective 10 days ago, its registration due in 20 days; a
    # registration whose filing is due in about 7 weeks; a licence not yet filed.
    clean.append(plant.licence(buyer, effective=10, filed=5))
    number = application_number()
    plant.registration(number, buyer, signed=40, registered=30)
    clean.append(number)
    clean.append(plant.licence(buyer, effective=10, filed=None))

    planted: dict[str, str] = {}
    planted[plant.licence(buyer, effective=100, filed=60)] = "missing_registration"
    planted[plant.transfer(buyer, signed=100, recorded=50)] = "missing_registration"
    number = plant.licence(buyer, effective=120, filed=None)  # granted, never filed
    plant.registration(number, buyer, signed=120, registered=100)
    planted[number] = "missing_filing"
    number = plant.licence(buyer, effective=100, filed=60)
    plant.registration(number, buyer, signed=100, registered=80, certified="60000.00")
    planted[number] = "value_differs"
    number = plant.licence(buyer, effective=100, filed=60)
    plant.registration(number, other, signed=100, registered=80)
    planted[number] = "party_differs"
    number = plant.licence(buyer, effective=100, filed=60, kind=LicenseKind.EXCLUSIVE)
    plant.registration(number, buyer, signed=100, registered=80)
    planted[number] = "kind_differs"
    number = plant.licence(buyer, effective=200, filed=60)  # 140 days after its effect
    plant.registration(number, buyer, signed=200, registered=190)
    planted[number] = "late"
    await plant.send()

    operator = org(OrgType.OPERATOR, "平台运营方")
    headers = operator.headers(registry_settings, scopes=OPERATOR_SCOPES)
    started = await registry_client.post("/v1/reconciliation-runs", headers=headers)
    assert started.status_code == 202, started.text
    run = started.json()
    assert run["status"] == "pending"
    assert run["run_on"] == today.isoformat()

    async def completed() -> dict[str, Any] | None:
        got = await registry_client.get(f"/v1/reconciliation-runs/{run['id']}", headers=headers)
        assert got.status_code == 200, got.text
        body: dict[str, Any] = got.json()
        return body if body["status"] == "completed" else None

    done = await eventually(completed)
    assert set(done["counts"]) == {
        "missing_registration", "missing_filing", "value_differs", "party_differs",
        "kind_differs", "late",
    }  # fmt: skip
    assert done["total"] == sum(done["counts"].values()) >= len(planted)

    found: dict[str, list[str]] = {}
    for number in [*planted, *clean]:
        page = await registry_client.get(
            f"/v1/reconciliation-runs/{run['id']}/mismatches",
            params={"application_number": number},
            headers=headers,
        )
        assert page.status_code == 200, page.text
        found[number] = [m["reason"] for m in page.json()["items"]]
    assert found == {**{n: [r] for n, r in planted.items()}, **{n: [] for n in clean}}

    value = await registry_client.get(
        f"/v1/reconciliation-runs/{run['id']}/mismatches",
        params={"reason": "value_differs", "limit": 200},
        headers=headers,
    )
    mine = [m for m in value.json()["items"] if m["application_number"] in planted]
    assert [(m["filing_value"], m["registration_value"]) for m in mine] == [
        ("50000.00", "60000.00")
    ]

    # The CSV: the same rows, UTF-8 with a BOM, a header, the Chinese label of each reason.
    exported = await registry_client.get(
        f"/v1/reconciliation-runs/{run['id']}/mismatches.csv", headers=headers
    )
    assert exported.status_code == 200
    assert exported.headers["content-type"] == "text/csv; charset=utf-8"
    assert exported.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["原因代码 reason", "原因 reason_label", "申请号 application_number"]
    assert len(rows) == 1 + done["total"]
    ours = {row[2]: (row[0], row[1]) for row in rows[1:] if row[2] in planted}
    assert {n: code for n, (code, _) in ours.items()} == planted
    assert ours[next(n for n, r in planted.items() if r == "party_differs")][1] == "当事人不一致"
    by_accept = await registry_client.get(
        f"/v1/reconciliation-runs/{run['id']}/mismatches",
        params={"reason": "late"},
        headers={**headers, "Accept": "text/csv"},
    )
    assert by_accept.status_code == 200
    late = list(csv.reader(io.StringIO(by_accept.content.decode("utf-8-sig"))))[1:]
    assert {row[0] for row in late} == {"late"}
    assert len(late) == done["counts"]["late"]

    # One event per row, then the run's completion, on the registry topic.
    events = await read_topic(
        registry_settings.kafka_bootstrap_servers,
        topics.REGISTRY,
        until=lambda evs: any(
            e.data.get("run_id") == run["id"] and "counts" in e.data for e in evs
        ),
    )
    ran = [e for e in events if e.data.get("run_id") == run["id"]]
    mismatches = [
        ReconciliationMismatchFound.model_validate(e.data)
        for e in ran
        if e.type == ReconciliationMismatchFound.event_type
    ]
    # Every finding of this run is an event unless the previous run (the session's daily
    # run, over other tests' rows) reported it already.
    assert len(mismatches) <= done["total"]
    # The run writes these payloads in SQL: exactly what the model would have written.
    assert all(
        ReconciliationMismatchFound.model_validate(e.data).model_dump(mode="json") == e.data
        for e in ran
        if e.type == ReconciliationMismatchFound.event_type
    )
    assert {
        m.application_number: m.reason for m in mismatches if m.application_number in planted
    } == planted
    keyed = next(e for e in ran if e.data.get("application_number") in planted)
    assert keyed.partitionkey == keyed.data["application_number"]
    assert keyed.source == "/ipmarket/registry-sync"
    completion = [e for e in ran if e.type == ReconciliationCompleted.event_type]
    assert len(completion) == 1
    assert ReconciliationCompleted.model_validate(completion[0].data).counts == done["counts"]
    listed = await registry_client.get("/v1/reconciliation-runs", headers=headers)
    assert run["id"] in [r["id"] for r in listed.json()["items"]]

    # The next run reports the same findings again, but tells only what is new: the
    # mismatch planted between the two runs.
    newly = plant.licence(buyer, effective=100, filed=60)
    await plant.send()
    again = await registry_client.post("/v1/reconciliation-runs", headers=headers)
    assert again.status_code == 202, again.text
    run = again.json()
    second = await eventually(completed)
    assert second["counts"]["missing_registration"] == done["counts"]["missing_registration"] + 1
    events = await read_topic(
        registry_settings.kafka_bootstrap_servers,
        topics.REGISTRY,
        until=lambda evs: any(
            e.data.get("run_id") == run["id"] and "counts" in e.data for e in evs
        ),
    )
    told = {
        e.data["application_number"]: e.data["reason"]
        for e in events
        if e.type == ReconciliationMismatchFound.event_type and e.data["run_id"] == run["id"]
    }
    assert told == {newly: "missing_registration"}
