"""Tables every service database carries besides its own: outbox, inbox, idempotency, and
the outbox relay's state.

They are defined on the service's own ``MetaData`` (each service has its own registry),
so each service's Alembic migrations create them in its own database.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    Identity,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import registry

# Explicit, predictable names for every constraint and index of every service.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def service_registry() -> registry:
    """A fresh ORM registry for one service's tables, with the naming convention."""
    return registry(metadata=MetaData(naming_convention=NAMING_CONVENTION))


@dataclass(frozen=True)
class InfrastructureTables:
    outbox: Table
    inbox: Table
    idempotency_keys: Table
    outbox_relay_state: Table


def define_infrastructure_tables(metadata: MetaData) -> InfrastructureTables:
    """Define the outbox, inbox, idempotency and relay state tables on ``metadata``."""
    outbox = Table(
        "outbox",
        metadata,
        # The relay ships rows in id order; per key this is the commit order because a
        # key's events are written by transactions that lock the same aggregate.
        Column("id", BigInteger, Identity(always=True), primary_key=True),
        Column("event_id", UUID(as_uuid=False), nullable=False),
        Column("topic", String(255), nullable=False),
        Column("partition_key", String(255), nullable=False),
        Column("event_type", String(255), nullable=False),
        Column("source", String(255), nullable=False),
        Column("subject", String(255)),
        Column("event_time", DateTime(timezone=True), nullable=False),
        Column("traceparent", String(55)),
        Column("actor", String(255), comment="Acting organisation: the audit trail."),
        Column("origin_platform", String(255)),
        Column("payload", JSONB, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("published_at", DateTime(timezone=True)),
        # One event may go to two topics (a pledge event also goes to its bank's topic).
        UniqueConstraint("event_id", "topic", name="uq_outbox_event_id_topic"),
        Index(
            "ix_outbox_unpublished",
            "id",
            postgresql_where=text("published_at IS NULL"),
        ),
        Index("ix_outbox_published_at", "published_at"),
        Index("ix_outbox_subject", "subject"),
    )
    inbox = Table(
        "inbox",
        metadata,
        Column("consumer_group", String(255), nullable=False),
        Column("event_id", String(255), nullable=False),
        Column("event_type", String(255), nullable=False),
        Column("handled_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        PrimaryKeyConstraint("consumer_group", "event_id", name="pk_inbox"),
        Index("ix_inbox_handled_at", "handled_at"),
    )
    idempotency_keys = Table(
        "idempotency_keys",
        metadata,
        Column("principal", String(255), nullable=False),
        Column("idempotency_key", String(255), nullable=False),
        Column("method", String(10), nullable=False),
        Column("path", Text, nullable=False),
        Column("request_hash", String(64), nullable=False),
        Column("status_code", Integer),
        Column("response_body", LargeBinary),
        Column("response_content_type", String(255)),
        # The body is encrypted by the service's ResponseSealer (shared.db.idempotency).
        Column("response_sealed", Boolean, nullable=False, server_default=text("false")),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        PrimaryKeyConstraint("principal", "idempotency_key", name="pk_idempotency_keys"),
        Index("ix_idempotency_keys_created_at", "created_at"),
    )
    outbox_relay_state = Table(
        "outbox_relay_state",
        metadata,
        # One row: the Kafka cluster the relay last published to, and the replay of the
        # retained outbox in progress after it found a different cluster (a broker that
        # lost its history). shared.messaging.outbox explains both.
        Column("id", SmallInteger, primary_key=True, server_default=text("1")),
        Column("cluster_id", String(255), nullable=False),
        Column("replay_next_id", BigInteger, comment="Next outbox id to re-send."),
        Column("replay_last_id", BigInteger, comment="Last outbox id the replay re-sends."),
        Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        CheckConstraint("id = 1", name="single_row"),
    )
    return InfrastructureTables(
        outbox=outbox,
        inbox=inbox,
        idempotency_keys=idempotency_keys,
        outbox_relay_state=outbox_relay_state,
    )
