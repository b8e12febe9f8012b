"""How pledge events leave the service: the internal topic and the pledgee bank's own.

Each event is staged twice in the same unit of work with one CloudEvents id: once on
``ipmarket.pledge.v1`` (listing, license, webhooks consume it) and once on
``ipmarket.pledge.bank.<org>.v1``, the only topic the bank's ACLs let it read. Both
outbox rows commit with the state change, and the relay ships them in commit order, so
a bank sees its pledges' whole life in order on its own topic.
"""

from __future__ import annotations

import logging

from aiokafka.errors import KafkaError

from pledge.domain.errors import BrokerUnavailable
from pledge.models import PledgeRecord
from pledge.repository import PledgeRepository
from shared.db.uow import UnitOfWork
from shared.events.schemas import EventData
from shared.events.topics import bank_pledge_topic
from shared.messaging.kafka import ensure_topics
from shared.settings import ServiceSettings

log = logging.getLogger(__name__)


def emit_pledge_event(uow: UnitOfWork, pledge: PledgeRecord, event: EventData) -> str:
    """Stage ``event`` for the internal topic and for the pledgee bank's topic."""
    event_id = uow.emit(event)
    uow.emit(event, topic=bank_pledge_topic(pledge.pledgee_org_id), event_id=event_id)
    return event_id


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
        if await PledgeRepository(uow.session).bank_topic_known(bank_org_id):
            return
        await self.create(uow, bank_org_id)

    async def create(self, uow: UnitOfWork, bank_org_id: str) -> str:
        """Create the bank's topic on the broker if it is missing there, whatever the
        ``bank_topics`` rows say (a bank onboarded again after its topic was deleted gets
        it back), and remember it. Returns the topic's name."""
        repo = PledgeRepository(uow.session)
        topic = bank_pledge_topic(bank_org_id)
        try:
            await ensure_topics(self._settings, [topic])
        except (KafkaError, OSError, RuntimeError, TimeoutError) as exc:
            log.warning("cannot create a bank topic", extra={"topic": topic, "error": str(exc)})
            raise BrokerUnavailable(
                f"the topic {topic} of bank {bank_org_id} cannot be created now; retry later"
            ) from exc
        await repo.add_bank_topic(bank_org_id, topic)
        return topic
