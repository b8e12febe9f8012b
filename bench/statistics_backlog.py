"""The statistics benchmark's backlog: synthetic events of the kinds the statistics
count, published to the public topics as the services publish them (CloudEvents in
binary mode, keyed by the patent)."""

from __future__ import annotations

import asyncio
import random
import uuid
from collections.abc import Awaitable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

from ip_statistics.config import StatisticsSettings
from shared.events import topics
from shared.events.envelope import encode_data
from shared.messaging.kafka import create_producer

PROVINCES = [
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
    "65",
]  # fmt: skip
INDUSTRIES = ["C3841", "C3562", "I6510", "C2710", "M7320", "C3922", "D4411", "C2614"]
PARTY_TYPES = ["university", "university", "research_institute", "enterprise", "individual"]
FIRST_DAY = date(2024, 1, 1)
DAYS = 3 * 365


class Backlog:
    """Synthetic events of the kinds the statistics count, deterministic per seed."""

    def __init__(self, events: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.patents = max(1, events // 5)
        self.acts = events - self.patents
        self.numbers = [f"{2015 + i % 10}1{i:07d}.{i % 10}" for i in range(self.patents)]

    def _day(self) -> str:
        return (FIRST_DAY + timedelta(days=self.rng.randrange(DAYS))).isoformat()

    def _instant(self) -> str:
        day = FIRST_DAY + timedelta(days=self.rng.randrange(DAYS))
        return datetime(day.year, day.month, day.day, 3, tzinfo=UTC).isoformat()

    def _id(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128)))

    def registered(self, i: int) -> tuple[str, str, dict[str, Any]]:
        number = self.numbers[i]
        province = PROVINCES[i % len(PROVINCES)]
        return (
            topics.LISTING,
            "cn.ipmarket.listing.patent.registered.v1",
            {
                "application_number": number,
                "patent_number": f"ZL{number}",
                "patent_type": "invention",
                "title": "一种锂离子电池健康状态在线检测方法",
                "ipc_codes": ["H01M 10/48"],
                "industry_codes": [INDUSTRIES[i % len(INDUSTRIES)]],
                "patentees": [
                    {
                        "org_id": f"org-{i % 2000}",
                        "name": "某大学",
                        "uscc": None,
                        "share": "100",
                        "party_type": PARTY_TYPES[i % len(PARTY_TYPES)],
                    }
                ],
                "region_code": f"{province}0{i % 9 + 1}00",
                "filing_date": "2019-03-15",
                "expiry_date": "2039-03-15",
                "legal_status": "valid",
                "annual_fee_status": "paid",
            },
        )

    def act(self) -> tuple[str, str, dict[str, Any]]:
        number = self.numbers[self.rng.randrange(self.patents)]
        kind = self.rng.randrange(7)
        if kind == 0:
            return (
                topics.PLEDGE,
                "cn.ipmarket.pledge.pledge.registered.v1",
                {
                    "pledge_id": self._id(),
                    "application_numbers": [number],
                    "pledgor": {"org_id": "org-e", "name": "某科技有限公司"},
                    "pledgee": {"org_id": f"bank-{self.rng.randrange(40)}", "name": "某银行"},
                    "secured_amount": f"{self.rng.randrange(10, 5000) * 10000}.00",
                    "debt_term_end": "2030-12-31",
                    "registered_on": self._day(),
                },
            )
        if kind == 1:
            return (
                topics.LICENSE,
                "cn.ipmarket.license.license.granted.v1",
                {
                    "license_id": self._id(),
                    "application_number": number,
                    "kind": self.rng.choice(["ordinary", "exclusive", "sole"]),
                    "effective_date": self._day(),
                    "contract_value": f"{self.rng.randrange(1, 500) * 10000}.00",
                },
            )
        if kind == 2:
            return (
                topics.REGISTRY,
                "cn.ipmarket.registry.tech_contract.registered.v1",
                {
                    "registration_id": self._id(),
                    "application_numbers": [number],
                    "source_kind": "license",
                    "registered_on": self._day(),
                    "certified_contract_value": f"{self.rng.randrange(1, 900) * 10000}.00",
                    "certified_technology_value": f"{self.rng.randrange(1, 500) * 10000}.00",
                },
            )
        if kind == 3:
            return (
                topics.LISTING,
                "cn.ipmarket.listing.declaration.published.v1",
                {
                    "declaration_id": self._id(),
                    "application_number": number,
                    "terms": {"payment_mode": "lump_sum"},
                    "announced_at": self._instant(),
                },
            )
        if kind == 4:
            return (
                topics.LISTING,
                "cn.ipmarket.listing.inventory.recorded.v1",
                {
                    "application_number": number,
                    "willingness": "willing",
                },
            )
        if kind == 5:
            return (
                topics.LISTING,
                "cn.ipmarket.listing.inventory.tier_changed.v1",
                {
                    "application_number": number,
                    "tier": self.rng.choice("ABCD"),
                },
            )
        return (
            topics.MATCHING,
            "cn.ipmarket.matching.match.pushed.v1",
            {
                "push_id": self._id(),
                "application_number": number,
                "pushed_at": self._instant(),
            },
        )

    def events(self) -> Iterator[tuple[str, str, dict[str, Any]]]:
        """(topic, type, data) in publishing order: patents interleaved with the acts."""
        acts_per_patent = self.acts / self.patents
        made = 0.0
        for i in range(self.patents):
            yield self.registered(i)
            made += acts_per_patent
            while made >= 1:
                made -= 1
                yield self.act()


async def publish(settings: StatisticsSettings, backlog: Backlog) -> int:
    producer = create_producer(settings)
    await producer.start()
    sent = 0
    at = datetime.now(UTC).isoformat()
    try:
        pending: list[Awaitable[Any]] = []
        for topic, event_type, data in backlog.events():
            key = str(
                data["application_number"]
                if "application_number" in data
                else data["application_numbers"][0]
            )
            headers = [
                ("ce_specversion", b"1.0"),
                ("ce_id", str(uuid.uuid4()).encode()),
                ("ce_source", b"/ipmarket/bench"),
                ("ce_type", event_type.encode()),
                ("ce_time", at.encode()),
                ("content-type", b"application/json"),
                ("ce_partitionkey", key.encode()),
            ]
            pending.append(
                await producer.send(topic, encode_data(data), key=key.encode(), headers=headers)
            )
            sent += 1
            if len(pending) >= 10_000:
                await asyncio.gather(*pending)
                pending = []
        await asyncio.gather(*pending)
    finally:
        await producer.stop()
    return sent
