"""The patent office's adapter against a real simulator process: every answer the office
can give ends right, with one submission at the office."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from devstack.processes import ServiceProcess
from registry_sync.adapters.patent_office import HttpPatentOffice, HttpPolicy
from registry_sync.domain.patent_office import (
    DuplicateSubmission,
    LegalStatusEvent,
    LicenseFilingRequest,
    OfficeDecision,
    OfficeParty,
    OfficeUnavailable,
    SubmissionRefused,
    TransferRegistrationRequest,
)
from shared.circuit import CircuitPolicy
from tests.registry_sync.patent_office_support import (
    HANG_S,
    control,
    patent_office,
    queue_faults,
    submissions,
)
from tests.support.stack import application_number, uscc


@pytest.fixture(scope="module")
def office_process(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServiceProcess]:
    with patent_office(Path(tmp_path_factory.mktemp("patent-office"))) as process:
        yield process


@pytest.fixture
async def office(office_process: ServiceProcess) -> AsyncIterator[HttpPatentOffice]:
    adapter = HttpPatentOffice(
        office_process.url,
        policy=HttpPolicy(timeout_s=HANG_S / 4, attempts=2, backoff_s=0.01),
        circuit=CircuitPolicy(failure_threshold=50, disable_after=None),
    )
    yield adapter
    await adapter.aclose()


def filing(**overrides: object) -> LicenseFilingRequest:
    values: dict[str, object] = {
        "application_number": application_number(),
        "patent_number": "ZL201710601862.3",
        "licensors": (OfficeParty("清华大学", uscc()),),
        "licensee": OfficeParty("深圳市新能储能科技有限公司", uscc("91440300")),
        "kind": "ordinary",
        "effective_date": date(2026, 11, 2),
        "term_end": date(2030, 12, 31),
        "contract_value": Decimal("50000.00"),
    }
    values.update(overrides)
    return LicenseFilingRequest(**values)  # type: ignore[arg-type]


async def test_a_filing_is_received_once_per_key_and_filed(
    office: HttpPatentOffice, office_process: ServiceProcess
) -> None:
    before = await submissions(office_process.url)
    key = str(uuid.uuid4())
    request = filing()
    reference = await office.submit_license_filing(key, request)
    assert await office.submit_license_filing(key, request) == reference
    outcome = await office.license_filing(reference)
    assert outcome.decision is OfficeDecision.FILED
    assert outcome.number is not None
    assert outcome.decided_on is not None
    after = await submissions(office_process.url)
    assert after["license_filings"] == before["license_filings"] + 1


async def test_the_same_filing_under_another_key_is_a_duplicate(office: HttpPatentOffice) -> None:
    request = filing()
    first = await office.submit_license_filing(str(uuid.uuid4()), request)
    with pytest.raises(DuplicateSubmission) as raised:
        await office.submit_license_filing(str(uuid.uuid4()), request)
    assert raised.value.office_reference == first


async def test_a_filing_missing_a_uscc_is_refused_with_reasons(office: HttpPatentOffice) -> None:
    request = filing(licensee=OfficeParty("张三", None))
    with pytest.raises(SubmissionRefused) as raised:
        await office.submit_license_filing(str(uuid.uuid4()), request)
    assert any("张三" in reason for reason in raised.value.reasons)


@pytest.mark.parametrize("fault", ["timeout", "server_error"])
async def test_a_timeout_or_5xx_is_retried_into_one_submission(
    office: HttpPatentOffice, office_process: ServiceProcess, fault: str
) -> None:
    before = await submissions(office_process.url)
    await queue_faults(office_process.url, fault)
    reference = await office.submit_license_filing(str(uuid.uuid4()), filing())
    assert reference
    after = await submissions(office_process.url)
    assert after["license_filings"] == before["license_filings"] + 1


async def test_failures_beyond_the_retries_are_unavailable_and_a_retry_is_the_same_submission(
    office: HttpPatentOffice, office_process: ServiceProcess
) -> None:
    before = await submissions(office_process.url)
    key, request = str(uuid.uuid4()), filing()
    await queue_faults(office_process.url, "server_error", "timeout")
    with pytest.raises(OfficeUnavailable, match="did not answer"):
        await office.submit_license_filing(key, request)
    await queue_faults(office_process.url, "garbage")
    with pytest.raises(OfficeUnavailable, match="not the contract's JSON"):
        await office.submit_license_filing(key, request)
    reference = await office.submit_license_filing(key, request)
    assert await office.submit_license_filing(key, request) == reference
    after = await submissions(office_process.url)
    assert after["license_filings"] == before["license_filings"] + 1


async def test_garbage_on_a_status_poll_is_unavailable(
    office: HttpPatentOffice, office_process: ServiceProcess
) -> None:
    reference = await office.submit_license_filing(str(uuid.uuid4()), filing())
    await queue_faults(office_process.url, "garbage")
    with pytest.raises(OfficeUnavailable):
        await office.license_filing(reference)
    assert (await office.license_filing(reference)).decision is OfficeDecision.FILED


async def test_the_office_refuses_a_transfer_on_decision_and_records_another(
    office: HttpPatentOffice, office_process: ServiceProcess
) -> None:
    refused_number, recorded_number = application_number(), application_number()
    await control(
        office_process.url,
        "/_control/decisions",
        {"refuse": {refused_number: ["转让人非专利权人"]}},
    )

    def transfer(number: str) -> TransferRegistrationRequest:
        return TransferRegistrationRequest(
            application_number=number,
            patent_number="ZL201710601862.3",
            transferors=(OfficeParty("清华大学", uscc()),),
            transferees=(OfficeParty("北京某科技有限公司", uscc("91110000"), Decimal("100")),),
            signed_on=date(2026, 11, 2),
            contract_value=Decimal("800000.00"),
        )

    refused = await office.submit_transfer_registration(str(uuid.uuid4()), transfer(refused_number))
    outcome = await office.transfer_registration(refused)
    assert outcome.decision is OfficeDecision.REFUSED
    assert outcome.reasons == ("转让人非专利权人",)
    recorded = await office.submit_transfer_registration(
        str(uuid.uuid4()), transfer(recorded_number)
    )
    outcome = await office.transfer_registration(recorded)
    assert outcome.decision is OfficeDecision.RECORDED
    assert outcome.number is not None
    assert outcome.announced_on is not None
    assert outcome.decided_on is not None
    assert outcome.announced_on > outcome.decided_on


async def test_the_legal_status_feed_pages_by_sequence(
    office: HttpPatentOffice, office_process: ServiceProcess
) -> None:
    number = application_number()
    today = date(2026, 12, 1)
    body = {
        "entries": [
            {
                "application_number": number,
                "event": event,
                "effective_on": str(today),
                "announced_on": str(today + timedelta(days=7)),
            }
            for event in ("fees_unpaid", "terminated")
        ]
    }
    last = (await control(office_process.url, "/_control/legal-status", body))["last_sequence"]
    entries = await office.legal_status(last - 2, 10)
    assert [(e.sequence, e.event) for e in entries] == [
        (last - 1, LegalStatusEvent.FEES_UNPAID),
        (last, LegalStatusEvent.TERMINATED),
    ]
    assert await office.legal_status(last, 10) == []


async def test_an_office_failing_again_and_again_opens_the_circuit(
    office_process: ServiceProcess,
) -> None:
    adapter = HttpPatentOffice(
        office_process.url,
        policy=HttpPolicy(timeout_s=HANG_S / 4, attempts=1, backoff_s=0.01),
        circuit=CircuitPolicy(failure_threshold=2, disable_after=None),
    )
    try:
        await queue_faults(office_process.url, "server_error", "server_error")
        for _ in range(2):
            with pytest.raises(OfficeUnavailable, match="503"):
                await adapter.legal_status(0, 1)
        with pytest.raises(OfficeUnavailable, match="circuit open"):
            await adapter.legal_status(0, 1)
    finally:
        await adapter.aclose()
