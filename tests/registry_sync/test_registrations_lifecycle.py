"""The registration's state machine and the adapter's reading of the office's answers:
no infrastructure."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest

from registry_sync.adapters.tech_contract_office import TechContractOfficeClient, contract_body
from registry_sync.config import RegistrySyncSettings
from registry_sync.domain.errors import InvalidTransition, TechnologyValueAboveContractValue
from registry_sync.domain.office import (
    Duplicate,
    OfficeState,
    OfficeStatus,
    Refused,
    SubmissionReceipt,
    Unavailable,
)
from registry_sync.domain.registration import (
    ContractParty,
    IpType,
    OfficeReason,
    PartyRole,
    RegistrationDetails,
    RegistrationStatus,
    SourceKind,
    TechContractCategory,
    TechContractRegistration,
    technical_field_for,
)

pytestmark = pytest.mark.unit

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
SELLER = "91110108MA01ABCD1X"


def licence(**overrides: Any) -> TechContractRegistration:
    values: dict[str, Any] = {
        "id": "r-1",
        "source_reference": "lic-1",
        "application_number": "201710601862.3",
        "category": TechContractCategory.LICENSE,
        "seller_uscc": SELLER,
        "buyer_uscc": "91440300MA5EXAMPLE",
        "contract_value": Decimal("50000.00"),
        "technology_value": Decimal("50000.00"),
        "effective_date": date(2026, 11, 1),
        "signed_on": date(2026, 11, 1),
        "recorded_on": date(2026, 11, 1),
        "technical_field": "电学 (IPC H01M 10/48)",
        "ip_type": IpType.INVENTION_PATENT,
        "parties": (
            ContractParty.from_uscc(PartyRole.SELLER, "清华大学", SELLER),
            ContractParty.from_uscc(PartyRole.BUYER, "深圳某公司", "91440300MA5EXAMPLE"),
        ),
    }
    values.update(overrides)
    return TechContractRegistration(**values)


def test_a_licence_waits_for_its_filing_then_is_ready_when_complete() -> None:
    prepared = licence().settled()
    assert prepared.status is RegistrationStatus.AWAITING_FILING
    assert prepared.missing_fields == ()
    filed = prepared.filed("2026990000123", date(2026, 11, 20))
    assert filed.status is RegistrationStatus.READY
    assert filed.filed("2026990000999", date(2026, 11, 21)) == filed  # reported again


def test_what_cannot_be_derived_is_awaited_and_the_seller_completes_it() -> None:
    running_royalty = licence(
        contract_value=None, technology_value=None, technical_field=None, ip_type=None
    )
    filed = running_royalty.filed("2026990000123", date(2026, 11, 20))
    assert filed.status is RegistrationStatus.AWAITING_DETAILS
    assert filed.missing_fields == (
        "contract_value",
        "technology_value",
        "technical_field",
        "ip_type",
    )
    completed = filed.corrected(
        RegistrationDetails(
            contract_value=Decimal("300000"),
            technology_value=Decimal("280000"),
            technical_field="电学",
        )
    )
    assert completed.missing_fields == ("ip_type",)
    assert completed.status is RegistrationStatus.AWAITING_DETAILS
    with pytest.raises(TechnologyValueAboveContractValue):
        filed.corrected(
            RegistrationDetails(contract_value=Decimal("1"), technology_value=Decimal("2"))
        )


def test_a_party_without_a_uscc_needs_its_country_and_region() -> None:
    individual = ContractParty.from_uscc(PartyRole.BUYER, "张三", None)
    registration = licence(parties=(licence().parties[0], individual))
    assert registration.parties[0].region_code == "110108"  # from the USCC
    assert registration.missing_fields == ("parties[1].country",)
    fixed = registration.corrected(RegistrationDetails(parties=((1, "CN", None),)))
    assert fixed.missing_fields == ("parties[1].region_code",)
    fixed = fixed.corrected(RegistrationDetails(parties=((1, "CN", "440305"),)))
    assert fixed.missing_fields == ()


def test_a_transfer_is_ready_without_a_filing() -> None:
    transfer = licence(
        source_kind=SourceKind.TRANSFER,
        category=TechContractCategory.TRANSFER_PATENT_RIGHT,
        status=RegistrationStatus.AWAITING_DETAILS,
    )
    assert transfer.settled().status is RegistrationStatus.READY


def test_submission_retry_refusal_resubmission_and_registration() -> None:
    ready = licence(status=RegistrationStatus.READY)
    retried = ready.retry_later(NOW, "timeout: read timed out", timedelta(seconds=10))
    retried = retried.retry_later(NOW, "server_error: 503", timedelta(seconds=10))
    assert retried.status is RegistrationStatus.READY
    assert retried.submission_attempts == 2
    assert retried.next_attempt_at == NOW + timedelta(seconds=20)
    submitted = retried.submitted("TC20261207000001", NOW)
    assert submitted.status is RegistrationStatus.SUBMITTED
    assert submitted.idempotency_key == "r-1"
    reasons = (OfficeReason("technology_value", "above_contract_value", "技术交易额超过成交额"),)
    refused = submitted.refused(reasons)
    assert refused.refusal_reasons == reasons
    # Corrected while refused, it waits for the seller's resubmission.
    corrected = refused.corrected(RegistrationDetails(technology_value=Decimal("40000")))
    assert corrected.status is RegistrationStatus.REFUSED
    again = corrected.resubmitted()
    assert again.status is RegistrationStatus.READY
    assert again.idempotency_key == "r-1.1"  # a new submission, not a retry of the refused one
    assert again.refusal_reasons == ()
    registered = again.submitted("TC20261207000002", NOW).registered(
        "2026110108000001", date(2026, 12, 10), Decimal("50000"), Decimal("40000")
    )
    assert registered.status is RegistrationStatus.REGISTERED
    # Registered is final.
    with pytest.raises(InvalidTransition):
        registered.refused(reasons)
    with pytest.raises(InvalidTransition):
        registered.corrected(RegistrationDetails(technical_field="x"))
    with pytest.raises(InvalidTransition):
        ready.resubmitted()


def test_technical_field_from_ipc_and_industry() -> None:
    assert (
        technical_field_for(["H01M 10/48"], ["C384"]) == "电学 (IPC H01M 10/48); 国民经济行业 C384"
    )
    assert technical_field_for([], ["C384"]) is None


def client(handler: Any, **settings: Any) -> TechContractOfficeClient:
    return TechContractOfficeClient(
        RegistrySyncSettings(
            tech_contract_office_url="http://office.test",
            tech_office_retries=settings.pop("retries", 0),
            tech_office_retry_backoff_s=0,
            **settings,
        ),
        lambda: NOW,
        transport=httpx.MockTransport(handler),
    )


def answer(status: int, body: Any, content_type: str = "application/json") -> Any:
    text = body if isinstance(body, str) else json.dumps(body)
    return lambda _: httpx.Response(status, text=text, headers={"content-type": content_type})


async def test_the_adapter_reads_each_submission_answer() -> None:
    registration = licence(status=RegistrationStatus.READY)
    receipt = {"reference": "TC1", "received_at": NOW.isoformat()}
    assert await client(answer(202, receipt)).submit(registration) == SubmissionReceipt("TC1", NOW)
    duplicate = {"code": "duplicate", "reference": "TC0"}
    assert await client(answer(409, duplicate)).submit(registration) == Duplicate("TC0")
    refusal = {"reasons": [{"field": "parties[1].uscc", "code": "invalid_uscc", "message": "无效"}]}
    assert await client(answer(422, refusal)).submit(registration) == Refused(
        (OfficeReason("parties[1].uscc", "invalid_uscc", "无效"),)
    )
    garbage = await client(answer(200, "<html>系统维护中</html>", "text/html")).submit(registration)
    assert isinstance(garbage, Unavailable)
    assert garbage.error == "garbage"
    assert (await client(answer(503, "<html/>", "text/html")).submit(registration)) == Unavailable(
        "server_error", "the office answered 503"
    )


async def test_the_adapter_sends_the_contract_under_the_idempotency_key() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if len(seen) < 3:
            return httpx.Response(502)
        return httpx.Response(202, json={"reference": "TC1", "received_at": NOW.isoformat()})

    registration = licence(status=RegistrationStatus.READY, resubmissions=2)
    outcome = await client(handler, retries=2).submit(registration)
    assert outcome == SubmissionReceipt("TC1", NOW)
    assert [r.headers["Idempotency-Key"] for r in seen] == ["r-1.2"] * 3
    assert json.loads(seen[0].content) == contract_body(registration)
    assert contract_body(registration)["parties"][0]["region_code"] == "110108"


async def test_the_adapter_never_reports_a_registered_status_with_a_bad_number() -> None:
    registered = {
        "reference": "TC1",
        "status": "registered",
        "registration_number": "2026110108000001",
        "registered_on": "2026-12-10",
        "certified_contract_value": "50000.00",
        "certified_technology_value": "40000.00",
    }
    status = await client(answer(200, registered)).status("TC1")
    assert status == OfficeStatus(
        "TC1",
        OfficeState.REGISTERED,
        "2026110108000001",
        date(2026, 12, 10),
        Decimal("50000.00"),
        Decimal("40000.00"),
    )
    for bad in ("2026110108000-X", "20261101080000012", 2026110108000001, None):
        outcome = await client(answer(200, {**registered, "registration_number": bad})).status(
            "TC1"
        )
        assert isinstance(outcome, Unavailable), bad
        assert outcome.error == "garbage"
    unknown_state = await client(answer(200, {"reference": "TC1", "status": "lost"})).status("TC1")
    assert isinstance(unknown_state, Unavailable)


async def test_the_circuit_opens_after_consecutive_failures() -> None:
    calls: list[httpx.Request] = []

    def failing(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        raise httpx.ConnectError("refused", request=request)

    office = client(failing, tech_office_circuit_failures=2)
    registration = licence(status=RegistrationStatus.READY)
    for _ in range(2):
        outcome = await office.submit(registration)
        assert isinstance(outcome, Unavailable)
        assert outcome.error == "connection"
    opened = await office.submit(registration)
    assert isinstance(opened, Unavailable)
    assert opened.error == "circuit_open"
    assert len(calls) == 2  # nothing went out while open


async def test_one_contracts_bad_number_does_not_open_the_circuit() -> None:
    calls: list[httpx.Request] = []
    body = {
        "reference": "TC1",
        "status": "registered",
        "registration_number": "2026-X",
        "registered_on": "2026-12-10",
    }

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(200, json=body)

    office = client(handler, tech_office_circuit_failures=2)
    for _ in range(4):
        outcome = await office.status("TC1")
        assert isinstance(outcome, Unavailable)
        assert outcome.error == "garbage"
    assert len(calls) == 4  # every poll went out: the office itself is well
    # Garbled bodies do count: the office is unwell.
    garbled = client(answer(200, "<html/>", "text/html"), tech_office_circuit_failures=2)
    errors = [(await garbled.status("TC1")) for _ in range(3)]
    assert [e.error for e in errors if isinstance(e, Unavailable)] == [
        "garbage",
        "garbage",
        "circuit_open",
    ]
