"""A restart with data, as `make run` does it: the five services stop mid-stream, the broker
goes away with everything it held, and the services start again on their own databases with
a new, empty broker (memory storage: a new Kafka cluster id).

Before the stop, some events were handled everywhere, some were published while license
and webhooks were down (they live only in the lost broker), and one was committed while
the broker did not answer (still in listing's outbox). After the restart every service
knows every event, and none was applied twice: listing's outbox relay sends its retained
events again in order, and the consumers' inboxes drop those they already had.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

import httpx
import pytest

from devstack.broker import TansuBroker
from devstack.ports import free_port
from devstack.processes import ServiceProcess
from devstack.services import SERVICES, local_settings, service_process
from shared.auth import OrgType
from shared.settings import ServiceSettings
from tests.e2e.test_walking_skeleton import declaration, patent
from tests.support.stack import OPERATOR_SCOPES, Org, Stack, application_number, eventually, org
from tests.webhooks.receiver import Receiver

pytestmark = pytest.mark.e2e

SETTINGS = ServiceSettings()
REGISTERED = "cn.ipmarket.listing.patent.registered.v1"
DECLARED = "cn.ipmarket.listing.declaration.published.v1"
STATUS = "cn.ipmarket.listing.patent.status_changed.v1"


@contextmanager
def running(
    stack: Stack, broker: TansuBroker, databases: dict[str, str], logs: str
) -> Iterator[dict[str, ServiceProcess]]:
    """The five services on ``databases`` and ``broker``; stopped (SIGTERM) on leaving,
    unless the body stopped them already."""
    processes: dict[str, ServiceProcess] = {}
    try:
        for definition in SERVICES:
            urls = {n: p.url for n, p in processes.items()}
            process = service_process(
                definition,
                database_url=stack.postgres.url(databases[definition.name]),
                bootstrap=broker.bootstrap_servers,
                port=free_port(),
                log_dir=stack.root / logs,
                extra_env={
                    "LOG_LEVEL": "WARNING",
                    "SHUTDOWN_TIMEOUT_S": "2",  # a paused broker must not hold up the stop
                    **local_settings(definition, urls),
                },
            )
            process.start()
            processes[definition.name] = process
        for process in processes.values():
            process.wait_ready(timeout=90)
        yield processes
    finally:
        with ThreadPoolExecutor(len(SERVICES)) as pool:  # stopped together, not in turn
            list(pool.map(lambda p: p.stop(timeout=15), processes.values()))


async def declare(http: httpx.AsyncClient, listing: str, owner: Org) -> tuple[str, str]:
    """A new patent with an announced open licence: (application number, declaration id)."""
    number = application_number(2019, 1)
    headers = owner.headers(SETTINGS)
    created = await http.post(f"{listing}/v1/patents", json=patent(owner, number), headers=headers)
    assert created.status_code == 201, created.text
    draft = await http.post(f"{listing}/v1/declarations", json=declaration(number), headers=headers)
    assert draft.status_code == 201, draft.text
    submitted = await http.post(
        f"{listing}/v1/declarations/{draft.json()['id']}/submit", headers=headers
    )
    assert submitted.status_code == 200, submitted.text
    return number, str(draft.json()["id"])


async def timeline(
    http: httpx.AsyncClient, listing: str, number: str, owner: Org
) -> list[dict[str, Any]]:
    response = await http.get(
        f"{listing}/v1/patents/{number}/timeline",
        params={"limit": 100},
        headers=owner.headers(SETTINGS),
    )
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def license_knows(http: httpx.AsyncClient, license_url: str, declaration_id: str) -> bool:
    response = await http.get(
        f"{license_url}/v1/declarations/{declaration_id}",
        headers=org(OrgType.ENTERPRISE, "深圳市新能储能科技有限公司").headers(SETTINGS),
    )
    assert response.status_code in (200, 404), response.text
    return response.status_code == 200


async def test_a_restart_with_data_loses_nothing_and_applies_nothing_twice(stack: Stack) -> None:
    suffix = uuid.uuid4().hex[:6]
    databases = {d.name: f"e2e_restart_{d.database}_{suffix}" for d in SERVICES}
    for database in databases.values():
        stack.postgres.create_database(database)
    operator = org(OrgType.OPERATOR, "平台运营方")
    university = org(OrgType.UNIVERSITY, "浙江大学")
    exchange = Org(f"exchange-{suffix}", "浙江知识产权交易中心", OrgType.EXCHANGE, None)
    receiver = Receiver("restart")
    await receiver.start()
    broker = TansuBroker()
    broker.start()
    try:
        async with httpx.AsyncClient(timeout=15) as http:
            with running(stack, broker, databases, "logs-restart-1") as services:
                listing = services["listing"].url
                platform = await http.post(
                    f"{services['webhooks'].url}/v1/platforms",
                    json={"org_id": exchange.org_id, "name": exchange.name},
                    headers=operator.headers(SETTINGS, scopes=OPERATOR_SCOPES),
                )
                assert platform.status_code == 201, platform.text
                endpoint = await http.post(
                    f"{services['webhooks'].url}/v1/platforms/{platform.json()['id']}/endpoints",
                    json={"url": receiver.url, "event_types": [REGISTERED, DECLARED, STATUS]},
                    headers=exchange.headers(SETTINGS),
                )
                assert endpoint.status_code == 201, endpoint.text
                receiver.secrets.append(endpoint.json()["secret"])
                deliveries = (
                    f"{services['webhooks'].url}/v1/endpoints/{endpoint.json()['id']}/deliveries"
                )

                # Handled everywhere before the stop.
                handled = [await declare(http, listing, university) for _ in range(2)]
                await eventually(
                    lambda: len(receiver.events({n for n, _ in handled})) == 4, timeout=30
                )

                # ... and recorded as delivered: one received but not yet recorded when
                # webhooks stops is sent again after the restart (at least once, by design).
                async def recorded() -> bool:
                    page = await http.get(
                        deliveries, params={"status": "pending"}, headers=exchange.headers(SETTINGS)
                    )
                    assert page.status_code == 200, page.text
                    return not page.json()["items"]

                await eventually(recorded, timeout=30)
                for _, declaration_id in handled:
                    await eventually(
                        lambda d=declaration_id: license_knows(http, services["license"].url, d)
                    )

                # Published to the broker while license and webhooks are down: these events
                # exist only in the broker that is about to go.
                services["license"].stop(timeout=15)
                services["webhooks"].stop(timeout=15)
                in_broker = [await declare(http, listing, university) for _ in range(2)]
                for number, _ in in_broker:  # listing's own history consumer took them
                    await eventually(
                        lambda n=number: _types(timeline(http, listing, n, university)),
                        timeout=30,
                    )

                # Committed while the broker does not answer: still in listing's outbox.
                broker.pause()
                queued = [await declare(http, listing, university)]
            broker.stop()  # with all it held: topics, messages, consumer offsets

            broker = TansuBroker()  # memory storage: a new cluster, with a new id
            broker.start()
            with running(stack, broker, databases, "logs-restart-2") as services:
                listing = services["listing"].url
                patents = handled + in_broker + queued
                numbers = {n for n, _ in patents}
                # One more event per patent, committed after the restart: it reaches a
                # consumer only after the patent's earlier events (one key, one partition),
                # so once the receiver has it, any second copy of those would have come.
                for number in numbers:
                    changed = await http.patch(
                        f"{listing}/v1/patents/{number}/status",
                        json={"annual_fee_status": "paid", "reason": "年费已缴"},
                        headers=operator.headers(SETTINGS, scopes=OPERATOR_SCOPES),
                    )
                    assert changed.status_code == 200, changed.text
                await eventually(
                    lambda: (
                        {e["subject"] for e in receiver.events(numbers) if e["type"] == STATUS}
                        == numbers
                    ),
                    timeout=60,
                )
                # license knows every declaration
                unknown = [
                    declaration_id
                    for _, declaration_id in patents
                    if not await license_knows(http, services["license"].url, declaration_id)
                ]
                assert unknown == [], "declarations license never learned of"
                # listing's history of each patent: every event once, in order
                for number in numbers:
                    entries = await eventually(
                        lambda n=number: _with_status(timeline(http, listing, n, university)),
                        timeout=30,
                    )
                    ids = [e["event_id"] for e in entries]
                    assert len(ids) == len(set(ids)), entries
                    assert [e["event_type"] for e in entries] == [REGISTERED, DECLARED, STATUS]
    finally:
        broker.stop()
        await receiver.stop()

    # webhooks delivered each event once, in order per patent, under its own webhook-id
    got = receiver.events(numbers)
    assert receiver.rejected == []
    assert len(got) == len({e["id"] for e in got}) == 3 * len(numbers)
    assert all(r.webhook_id == r.event["id"] for r in receiver.received)
    for number in numbers:
        assert [e["type"] for e in got if e["subject"] == number] == [REGISTERED, DECLARED, STATUS]


async def _types(entries: Any) -> bool:
    return DECLARED in [e["event_type"] for e in await entries]


async def _with_status(entries: Any) -> list[dict[str, Any]] | None:
    items: list[dict[str, Any]] = await entries
    return items if STATUS in [e["event_type"] for e in items] else None
