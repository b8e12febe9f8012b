"""Which handler takes which event: the routing table of a service's consumer group.

A handler is ``async def handler(event: SomeEvent, ctx: EventContext, uow: UnitOfWork)``,
registered on an :class:`EventRouter` by event model (or for every event of a topic); the
topics a consumer subscribes to follow from the registrations.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from shared.db.uow import UnitOfWork
from shared.events.envelope import CloudEvent
from shared.events.schemas.base import EventData

E = TypeVar("E", bound=EventData)

# An event type's name and its version: ``cn.ipmarket.listing.patent.registered`` and ``v1``.
_VERSIONED = re.compile(r"^(?P<name>.+)\.v(?P<version>\d+)$")


@dataclass(frozen=True)
class EventContext:
    """Where an event came from, for handlers that need more than its data."""

    event: CloudEvent
    topic: str
    partition: int
    offset: int


Handler = Callable[[Any, EventContext, UnitOfWork], Awaitable[None]]
# Takes several raw events at once, in their order on the partition.
BatchHandler = Callable[[list[tuple[CloudEvent, EventContext]], UnitOfWork], Awaitable[None]]


class EventRouter:
    """Maps event types to handlers; the topics to subscribe follow from the models."""

    def __init__(self) -> None:
        self._routes: dict[str, tuple[type[EventData], Handler]] = {}
        self._any: dict[str, Handler] = {}
        self._any_batch: dict[str, BatchHandler] = {}

    def on(
        self, model: type[E]
    ) -> Callable[
        [Callable[[E, EventContext, UnitOfWork], Awaitable[None]]],
        Callable[[E, EventContext, UnitOfWork], Awaitable[None]],
    ]:
        def register(
            fn: Callable[[E, EventContext, UnitOfWork], Awaitable[None]],
        ) -> Callable[[E, EventContext, UnitOfWork], Awaitable[None]]:
            if model.event_type in self._routes:
                raise ValueError(f"{model.event_type} already has a handler")
            self._routes[model.event_type] = (model, fn)
            return fn

        return register

    def on_any(
        self, topic: str
    ) -> Callable[
        [Callable[[CloudEvent, EventContext, UnitOfWork], Awaitable[None]]],
        Callable[[CloudEvent, EventContext, UnitOfWork], Awaitable[None]],
    ]:
        """Handle every event of ``topic`` that has no typed handler, as a raw CloudEvent
        (for relays such as webhook delivery, which forward events they need not read)."""

        def register(
            fn: Callable[[CloudEvent, EventContext, UnitOfWork], Awaitable[None]],
        ) -> Callable[[CloudEvent, EventContext, UnitOfWork], Awaitable[None]]:
            self._any[topic] = fn
            return fn

        return register

    def on_any_batch(self, topic: str) -> Callable[[BatchHandler], BatchHandler]:
        """Like :meth:`on_any`, for handlers that write many events' effects at once (a
        history that takes every event): called with the consecutive events of a
        partition that reach it together (one, when they are handled one by one)."""

        def register(fn: BatchHandler) -> BatchHandler:
            self._any_batch[topic] = fn
            return fn

        return register

    def route(self, event_type: str) -> tuple[type[EventData], Handler] | None:
        return self._routes.get(event_type)

    def other_version(self, event_type: str) -> str | None:
        """The version of ``event_type``'s type this router handles, when it handles one
        but not this one (None: the type is new to it, or not versioned)."""
        wanted = _VERSIONED.match(event_type)
        if wanted is None:
            return None
        for known in self._routes:
            match = _VERSIONED.match(known)
            if match is not None and match["name"] == wanted["name"] and known != event_type:
                return known
        return None

    def route_any(self, topic: str) -> Handler | None:
        return self._any.get(topic)

    def route_any_batch(self, topic: str) -> BatchHandler | None:
        return self._any_batch.get(topic)

    @property
    def topics(self) -> set[str]:
        typed = {model.topic for model, _ in self._routes.values()}
        return typed | set(self._any) | set(self._any_batch)
