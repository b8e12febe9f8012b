"""Several instances of a service: one outbox relay leads, consumers share partitions
through their group, and a killed leader's events still go out from the survivor."""

from __future__ import annotations

import contextlib
import re
from typing import Any

import httpx
import pytest

from shared.auth import OrgType
from shared.settings import ServiceSettings
from tests.e2e.conftest import System
from tests.e2e.test_walking_skeleton import declaration, patent
from tests.support.stack import application_number, eventually, org

pytestmark = pytest.mark.e2e

SETTINGS = ServiceSettings()


def metric(text: str, name: str, **labels: str) -> float:
    total = 0.0
    for line in text.splitlines():
        if line.startswith(name + "{") and all(f'{k}="{v}"' in line for k, v in labels.items()):
            total += float(line.rsplit(" ", 1)[1])
    return total


async def test_two_instances_each_of_listing_and_license(system: System) -> None:
    university = org(OrgType.UNIVERSITY, "电子科技大学")
    enterprise = org(OrgType.ENTERPRISE, "成都某新能源科技有限公司")
    uni, ent = university.headers(SETTINGS), enterprise.headers(SETTINGS)
    listing = [system.processes["listing"], system.start_instance("listing")]
    license_urls = [system.url("license"), system.start_instance("license").url]

    async with httpx.AsyncClient(timeout=15) as http:
        # Exactly one listing instance holds the relay lease.
        async def leaders() -> list[float]:
            texts = [(await http.get(f"{p.url}/metrics")).text for p in listing]
            return [metric(t, "ipmarket_outbox_relay_leader", service="listing") for t in texts]

        async def one_leader() -> bool:
            return sorted(await leaders()) == [0.0, 1.0]

        await eventually(one_leader, timeout=30)

        # The second license instance holds partitions of its group before events flow, or
        # the first could take them all and the split below would prove nothing.
        async def both_members() -> bool:
            texts = [(await http.get(f"{base}/metrics")).text for base in license_urls]
            held = [
                metric(t, "ipmarket_consumer_assigned_partitions", group="ipmarket-license")
                for t in texts
            ]
            return all(h > 0 for h in held)

        await eventually(both_members, timeout=60, interval=0.5)

        # Writes through both instances; every declaration reaches license.
        declarations = []
        for i in range(10):
            base = listing[i % 2].url
            number = application_number(2019, 1)
            assert (
                await http.post(f"{base}/v1/patents", json=patent(university, number), headers=uni)
            ).status_code == 201
            draft = await http.post(
                f"{base}/v1/declarations", json=declaration(number), headers=uni
            )
            submitted = await http.post(
                f"{base}/v1/declarations/{draft.json()['id']}/submit", headers=uni
            )
            assert submitted.status_code == 200, submitted.text
            declarations.append(submitted.json()["id"])

        async def accept(declaration_id: str, base: str) -> dict[str, Any] | None:
            response = await http.post(
                f"{base}/v1/licenses", json={"declaration_id": declaration_id}, headers=ent
            )
            return response.json() if response.status_code == 201 else None

        for i, declaration_id in enumerate(declarations):
            await eventually(
                lambda d=declaration_id, b=license_urls[i % 2]: accept(d, b), timeout=40
            )  # type: ignore[misc]

        # Both license instances handled part of the declarations: the group split the partitions.
        # A consumer counts an event after its transaction ends, so an instance's count may
        # trail the view that let the acceptance through: read the counts until they agree.
        async def handled() -> list[float]:
            counts = []
            for base in license_urls:
                text = (await http.get(f"{base}/metrics")).text
                counts.append(
                    metric(
                        text,
                        "ipmarket_events_consumed_total",
                        event_type="cn.ipmarket.listing.declaration.published.v1",
                        outcome="handled",
                    )
                )
            return counts

        async def split() -> list[float] | None:
            counts = await handled()
            return counts if sum(counts) >= 10 and all(h > 0 for h in counts) else None

        with contextlib.suppress(AssertionError):
            await eventually(split, timeout=10)
        counts = await handled()
        assert sum(counts) >= 10
        assert all(h > 0 for h in counts), counts

        # Kill the relay leader; the survivor takes the lease and publishes.
        states = await leaders()
        leader = listing[states.index(1.0)]
        survivor = listing[1 - states.index(1.0)]
        leader.kill()
        await eventually(lambda: _is_leader(http, survivor.url), timeout=30, interval=0.5)
        number = application_number(2019, 1)
        assert (
            await http.post(
                f"{survivor.url}/v1/patents", json=patent(university, number), headers=uni
            )
        ).status_code == 201
        draft = await http.post(
            f"{survivor.url}/v1/declarations", json=declaration(number), headers=uni
        )
        submitted = await http.post(
            f"{survivor.url}/v1/declarations/{draft.json()['id']}/submit", headers=uni
        )
        last = submitted.json()["id"]
        await eventually(lambda: accept(last, license_urls[0]), timeout=40)
        if leader is system.processes["listing"]:
            # Keep the session's listing usable for later tests.
            leader.start()
            leader.wait_ready(timeout=90)


async def _is_leader(http: httpx.AsyncClient, base: str) -> bool:
    text = (await http.get(f"{base}/metrics")).text
    return bool(re.search(r'ipmarket_outbox_relay_leader\{service="listing"\} 1\.0', text))
