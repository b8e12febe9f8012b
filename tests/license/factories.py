"""Events and request bodies for license tests, with realistic Chinese data."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from aiokafka import AIOKafkaProducer

from shared.events.envelope import CloudEvent
from shared.events.schemas import (
    ConsentSubject,
    DeclarationPublished,
    DeclarationWithdrawn,
    EventData,
    OpenLicenseTerms,
    OrgRef,
    PatenteeRef,
    PatentOwnerChanged,
    PatentRegistered,
    PatentRestated,
    PatentStatusChanged,
    PaymentMode,
    PledgeeConsentRecorded,
    PledgeRegistered,
)
from tests.support.stack import Org, application_number, real_today


@dataclass
class EventFeed:
    producer: AIOKafkaProducer

    async def publish(
        self,
        event: EventData,
        *,
        event_id: str | None = None,
        data: dict[str, Any] | None = None,
        time: datetime | None = None,
    ) -> CloudEvent:
        """Send ``event`` as its producer would (binary mode, keyed); ``event_id`` resends
        an event already sent (a redelivery keeps its CloudEvents id); ``data`` replaces
        the body, e.g. with the shape an older producer sent; ``time`` the moment the
        producer stamped it (now)."""
        ce = CloudEvent(
            id=event_id or str(uuid.uuid4()),
            time=time or datetime.now(UTC),
            source=f"/ipmarket/{event.event_type.split('.')[2]}",
            type=event.event_type,
            data=data if data is not None else event.model_dump(mode="json"),
            subject=event.subject(),
            partitionkey=event.partition_key(),
        )
        await self.producer.send_and_wait(
            event.topic,
            value=ce.kafka_value(),
            key=event.partition_key().encode(),
            headers=ce.kafka_headers(),
        )
        return ce


def terms(mode: PaymentMode = PaymentMode.LUMP_SUM, **overrides: Any) -> OpenLicenseTerms:
    today = real_today()
    values: dict[str, Any] = {
        "payment_mode": mode,
        "term_start": today - timedelta(days=30),
        "term_end": date(today.year + 4, 12, 31),
        "territory": "中国大陆",
    }
    if mode is PaymentMode.LUMP_SUM:
        values["lump_sum_fee"] = Decimal("50000.00")
    elif mode is PaymentMode.RUNNING_ROYALTY:
        values |= {"royalty_base": "net_sales", "royalty_rate": Decimal("3.5")}
        values["payment_schedule"] = "每年3月31日前按上一年度净销售额支付"
    values.update(overrides)
    return OpenLicenseTerms(**values)


def declaration_published(
    owner: Org,
    *,
    declaration_id: str | None = None,
    number: str | None = None,
    version: int = 1,
    declared_terms: OpenLicenseTerms | None = None,
) -> DeclarationPublished:
    number = number or application_number(2019, 1)
    return DeclarationPublished(
        declaration_id=declaration_id or str(uuid.uuid4()),
        application_number=number,
        patent_number="ZL" + number,
        patent_type="invention",
        title="一种锂离子电池健康状态在线检测方法",
        patentees=[
            PatenteeRef(
                name=owner.name, uscc=owner.uscc, share=Decimal("100"), party_type="university"
            )
        ],
        terms_version=version,
        terms=declared_terms or terms(),
        announced_at=datetime.now(UTC),
        ipc_codes=["H01M 10/48"],
        region_code="110108",
    )


def declaration_withdrawn(published: DeclarationPublished) -> DeclarationWithdrawn:
    return DeclarationWithdrawn(
        declaration_id=published.declaration_id,
        application_number=published.application_number,
        effective_at=datetime.now(UTC),
        reason="专利权人书面撤回开放许可声明",
    )


def payment_body(
    amount: str = "50000.00",
    voucher: str | None = None,
    *,
    paid_on: date | None = None,
    royalty_period_id: str | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "amount": {"amount": amount, "currency": "CNY"},
        "voucher_reference": voucher or f"ICBC-{uuid.uuid4().hex[:12].upper()}",
        "paid_on": str(paid_on or real_today()),
    }
    if royalty_period_id is not None:
        body["royalty_period_id"] = royalty_period_id
    return body


def pledge_registered(
    pledgor: Org,
    *numbers: str,
    pledge_id: str | None = None,
    bank_name: str = "中国建设银行合肥分行",
    open_license_consented: bool = False,
) -> PledgeRegistered:
    today = real_today()
    return PledgeRegistered(
        pledge_id=pledge_id or f"pledge-{uuid.uuid4().hex[:10]}",
        application_numbers=list(numbers),
        pledgor=OrgRef(name=pledgor.name, uscc=pledgor.uscc),
        pledgee=OrgRef(org_id=f"bank-{uuid.uuid4().hex[:8]}", name=bank_name),
        secured_amount=Decimal("3000000.00"),
        debt_term_end=date(today.year + 3, 6, 30),
        registered_on=today,
        open_license_consented=open_license_consented,
    )


def consent_recorded(
    pledge: PledgeRegistered, subject: ConsentSubject, counterparty_uscc: str | None = None
) -> PledgeeConsentRecorded:
    return PledgeeConsentRecorded(
        pledge_id=pledge.pledge_id,
        application_numbers=pledge.application_numbers,
        pledgee=pledge.pledgee,
        consent_to=subject,
        counterparty_uscc=counterparty_uscc,
        document_sha256="9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        recorded_on=real_today(),
    )


def patentee_ref(owner: Org, party_type: str = "university") -> PatenteeRef:
    return PatenteeRef(
        name=owner.name, uscc=owner.uscc, share=Decimal("100"), party_type=party_type
    )


def patent_registered(owner: Org, number: str | None = None) -> PatentRegistered:
    """A granted, valid invention patent of ``owner`` as listing registers it."""
    number = number or application_number(2019, 1)
    return PatentRegistered(
        application_number=number,
        patent_number="ZL" + number,
        patent_type="invention",
        title="一种固态电解质膜及其制备方法",
        ipc_codes=["H01M 10/0562"],
        patentees=[patentee_ref(owner)],
        filing_date=date(2019, 3, 1),
        grant_date=date(2021, 6, 8),
        expiry_date=date(2039, 2, 28),
        legal_status="valid",
        annual_fee_status="paid",
    )


def patent_restated(registered: PatentRegistered, owner: Org, as_of: datetime) -> PatentRestated:
    """Listing's restatement of ``registered`` as held at ``as_of``, owned by ``owner``."""
    data = registered.model_dump() | {"patentees": [patentee_ref(owner)]}
    return PatentRestated(**data, as_of=as_of, job_id=str(uuid.uuid4()))


def owner_changed(number: str, before: Org, after: Org) -> PatentOwnerChanged:
    return PatentOwnerChanged(
        application_number=number,
        previous_patentees=[patentee_ref(before)],
        patentees=[patentee_ref(after, "enterprise")],
        transfer_reference="著录项目变更 2026-0001",
        effective_date=real_today(),
    )


def status_changed(number: str, legal_status: str = "terminated") -> PatentStatusChanged:
    return PatentStatusChanged(
        application_number=number,
        legal_status=legal_status,
        annual_fee_status="unpaid" if legal_status == "terminated" else "paid",
        suspended=False,
        under_preservation=False,
        reason="未缴年费专利权终止",
    )
