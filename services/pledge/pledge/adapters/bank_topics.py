"""Each bank's own topic of pledge events, created on the broker (Kafka admin)."""

from __future__ import annotations

import logging

from aiokafka.errors import KafkaError

from pledge.banks.repository import BankRepository
from pledge.domain.errors import BrokerUnavailable
from shared.db.uow import UnitOfWork
from shared.events.topics import bank_pledge_topic
from shared.messaging.kafka import ensure_topics
from shared.settings import ServiceSettings

log = logging.getLogger(__name__)


class BankTopics:
    """Creates a bank's topic the first time the bank is seen.

    The topic must exist before the relay publishes to it (Tansu does not auto-create
    reliably, and a send to a missing topic would hold up every later outbox row), so
    it is created *before* the transaction that stages the bank's first event commits.
    Creating an existing topic is harmless, so a rolled-back first transaction or two
    racing ones only cost a round trip.
    """

    def __init__(self, settings: ServiceSettings) -> None:
        self._settings = settings

    async def ensure(self, uow: UnitOfWork, bank_org_id: str) -> None:
        """The topic, unless a ``bank_topics`` row says it was created already."""
        if await BankRepository(uow.session).topic_known(bank_org_id):
            return
        await self.create(uow, bank_org_id)

    async def create(self, uow: UnitOfWork, bank_org_id: str) -> str:
        """Create the bank's topic on the broker if it is missing there, whatever the
        ``bank_topics`` rows say (a bank onboarded again after its topic was deleted gets
        it back), and remember it. Returns the topic's name."""
        topic = bank_pledge_topic(bank_org_id)
        try:
            await ensure_topics(self._settings, [topic])
        except (KafkaError, OSError, RuntimeError, TimeoutError) as exc:
            log.warning("cannot create a bank topic", extra={"topic": topic, "error": str(exc)})
            raise BrokerUnavailable(
                f"the topic {topic} of bank {bank_org_id} cannot be created now; retry later"
            ) from exc
        await BankRepository(uow.session).add_topic(bank_org_id, topic, at=uow.clock.now())
        return topic
