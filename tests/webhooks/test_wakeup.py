"""Waking the delivery engine across instances: a transaction that makes deliveries due
says so with NOTIFY, and every instance's dispatcher LISTENs.

The dispatcher here runs on its own, with no consumer and no API beside it, and polls
once a minute: the only thing that can get a delivery out within seconds is the
notification of another instance's commit.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import asyncpg
import pytest

from shared.clock import SystemClock
from shared.db.engine import asyncpg_dsn, create_engine, create_session_factory
from shared.db.uow import UnitOfWork
from tests.support.stack import Stack, application_number, eventually, running_app
from tests.webhooks.conftest import delivery_settings
from tests.webhooks.receiver import Receiver
from tests.webhooks.support import connect, event
from webhooks.adapters.secret_box import SecretBox
from webhooks.config import WebhooksSettings
from webhooks.main import create_app
from webhooks.mapping import outbound_event
from webhooks.models import infrastructure
from webhooks.outbound_events import service
from webhooks.workers import LISTENER, Dispatcher

STATUS = "cn.ipmarket.listing.patent.status_changed.v1"


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    receiver = Receiver("wakeup")
    await receiver.start()
    try:
        yield receiver
    finally:
        await receiver.stop()


@pytest.fixture
async def settings(stack: Stack, receiver: Receiver) -> WebhooksSettings:
    """A minute between polls; the receiver's endpoint registered through the API of an
    instance stopped since (so its dispatcher cannot be the one that sends)."""
    settings = delivery_settings(stack, delivery_poll_interval_s=60.0, listen_check_s=0.5)
    async with running_app(create_app(settings)) as client:
        await connect(client, settings, receiver, event_types=[STATUS])
    return settings


@pytest.fixture
async def dispatcher(settings: WebhooksSettings) -> AsyncIterator[Dispatcher]:
    """A dispatcher of its own, idle after its first ticks."""
    engine = create_engine(settings.database_url, 2)
    factory = create_session_factory(engine)
    dispatcher = Dispatcher(
        settings,
        lambda: UnitOfWork(factory, infrastructure, "/ipmarket/webhooks"),
        SecretBox(settings.secret_encryption_keys),
        SystemClock(),
    )
    task = asyncio.create_task(dispatcher.run())
    try:
        # The first tick, then the one on LISTENing: nothing due, now idle for a minute.
        await eventually(lambda: dispatcher.listening and dispatcher.ticks >= 2)
        yield dispatcher
    finally:
        dispatcher.stop()
        await asyncio.wait_for(task, timeout=30)
        await engine.dispose()


async def commit_elsewhere(settings: WebhooksSettings, number: str) -> None:
    """Queue an event's deliveries as another instance's consumer would: its own
    session, no in-process wake-up of anyone."""
    engine = create_engine(settings.database_url, 1)
    try:
        uow = UnitOfWork(create_session_factory(engine), infrastructure, "/ipmarket/webhooks")
        async with uow:
            offset = uuid.uuid4().int % 1_000_000_000
            queued = await service.enqueue(
                uow,
                [
                    outbound_event(
                        event(STATUS, number), topic="listing", partition=0, offset=offset
                    )
                ],
            )
            assert queued >= 1
            await uow.commit()
    finally:
        await engine.dispose()


async def test_deliveries_committed_by_another_instance_leave_at_once(
    settings: WebhooksSettings, dispatcher: Dispatcher, receiver: Receiver
) -> None:
    for _ in range(2):  # the second after the endpoint's worker found nothing more
        number = application_number()
        await commit_elsewhere(settings, number)
        await eventually(lambda n=number: receiver.events({n}), timeout=10)


async def test_the_dispatcher_listens_again_after_losing_its_connection(
    settings: WebhooksSettings, dispatcher: Dispatcher, receiver: Receiver
) -> None:
    ticks = dispatcher.ticks
    conn = await asyncpg.connect(asyncpg_dsn(settings.database_url))
    try:
        terminated = await conn.fetchval(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE application_name = $1 AND datname = current_database()",
            LISTENER,
        )
        assert terminated >= 1
    finally:
        await conn.close()
    # Listening again, and past the tick that follows (for what it may have missed).
    await eventually(
        lambda: dispatcher.listens >= 2 and dispatcher.listening and dispatcher.ticks > ticks,
        timeout=10,
    )
    number = application_number()
    await commit_elsewhere(settings, number)
    await eventually(lambda: receiver.events({number}), timeout=10)
