"""Every instance runs the registration workers: several submitting at once send each
ready registration to the office once (SKIP LOCKED and a lease), with no transaction open
during the call."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import httpx

from registry_sync.config import RegistrySyncSettings
from registry_sync.domain.office import StatusOutcome, SubmissionOutcome, SubmissionReceipt
from registry_sync.domain.registration import (
    ContractParty,
    IpType,
    PartyRole,
    RegistrationStatus,
    TechContractCategory,
    TechContractRegistration,
)
from registry_sync.main import MIGRATIONS
from registry_sync.models import infrastructure
from registry_sync.registrations.repository import RegistrySyncRepository
from registry_sync.workers import submit_ready
from shared.clock import ControllableClock, SystemClock, move_clock
from shared.events import topics
from shared.runtime import ServiceRuntime
from tests.support.stack import application_number, uscc


class CountingOffice:
    def __init__(self) -> None:
        self.submitted: Counter[str] = Counter()

    async def submit(self, registration: TechContractRegistration) -> SubmissionOutcome:
        self.submitted[registration.id] += 1
        await asyncio.sleep(0.05)  # the other instances claim meanwhile
        return SubmissionReceipt(f"TC-{registration.id}", SystemClock().now())

    async def status(self, office_reference: str) -> StatusOutcome:
        raise AssertionError("not polled here")


def ready() -> TechContractRegistration:
    seller, buyer = uscc("12110000"), uscc("91440300")
    now = SystemClock().now()
    return TechContractRegistration(
        id=str(uuid.uuid4()),
        source_reference=str(uuid.uuid4()),
        application_number=application_number(),
        category=TechContractCategory.LICENSE,
        seller_uscc=seller,
        buyer_uscc=buyer,
        parties=(
            ContractParty.from_uscc(PartyRole.SELLER, "清华大学", seller),
            ContractParty.from_uscc(PartyRole.BUYER, "深圳某公司", buyer),
        ),
        contract_value=Decimal("50000.00"),
        technology_value=Decimal("50000.00"),
        technical_field="电学",
        ip_type=IpType.INVENTION_PATENT,
        signed_on=now.date(),
        effective_date=now.date(),
        recorded_on=now.date(),
        created_at=now,
        status=RegistrationStatus.READY,
        # Not due on the real clock: the service's own worker leaves them to this test.
        next_attempt_at=now + timedelta(hours=1),
    )


async def test_instances_submitting_at_once_send_each_registration_once(
    registry_client: httpx.AsyncClient, registry_settings: RegistrySyncSettings, tmp_path: Path
) -> None:
    clock_file = tmp_path / "clock.json"
    move_clock(clock_file, by=timedelta(hours=2))
    settings = registry_settings.model_copy(update={"registration_batch_size": 3})
    instances = [
        ServiceRuntime(
            settings,
            tables=infrastructure,
            migrations_dir=MIGRATIONS,
            publishes={topics.REGISTRY},
            clock=ControllableClock(clock_file),
        )
        for _ in range(4)
    ]
    office = CountingOffice()
    try:
        registrations = [ready() for _ in range(10)]
        async with instances[0].uow() as uow:
            for registration in registrations:
                assert await RegistrySyncRepository(uow.session).add_if_new(registration)
            await uow.commit()
        ids = {r.id for r in registrations}
        while True:
            tried = await asyncio.gather(
                *(submit_ready(rt.uow, office, settings) for rt in instances)
            )
            if not any(tried):
                break
        async with instances[0].uow() as uow:
            repository = RegistrySyncRepository(uow.session)
            stored = [await repository.get(i) for i in ids]
    finally:
        for rt in instances:
            await rt.engine.dispose()
    assert {i: office.submitted[i] for i in ids} == dict.fromkeys(ids, 1)
    assert {r.status for r in stored if r is not None} == {RegistrationStatus.SUBMITTED}
