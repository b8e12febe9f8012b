"""Re-drive a consumer group's dead letters after a fix, and count what awaits it.

``python -m shared.messaging.redrive --bootstrap HOST:PORT --group ipmarket-license``
reads ``ipmarket.dlq.<group>.v1`` up to its current end and republishes each record, with
its original key and headers, to the topic it came from. Every consumer group of that topic
sees it again; groups that had handled it already skip it (their inbox has its id), the
group that parked it handles it now. Re-driving is tracked by its own consumer group
(``ipmarket-redrive.<group>``), so a dead letter is re-driven once; ``--dry-run`` only
lists what would be.

Every service also serves both over HTTP (``GET /v1/operations/dead-letters`` and
``POST /v1/operations/dead-letters/redrive``, ``shared.http.operations``), which call the
same :func:`redrive` and :func:`count_dead_letters`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
from collections.abc import Sequence
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from shared.events.topics import dead_letter_topic

# How long a re-drive waits for records it knows are there before it gives up: a broker
# that stopped answering part-way must not hold the caller forever.
_STALLED_S = 15.0


@dataclass(frozen=True)
class RedriveReport:
    redriven: int
    by_topic: dict[str, int]


@dataclass(frozen=True)
class DeadLetterCount:
    """One consumer group's dead letters: ``dead_letters`` ever parked in its dead-letter
    topic (the partitions' end offsets), ``awaiting_redrive`` of them not re-driven yet
    (beyond the re-drive group's committed offsets)."""

    group: str
    topic: str
    dead_letters: int
    awaiting_redrive: int


def redrive_group(group: str) -> str:
    """The consumer group that records how far ``group``'s dead letters were re-driven."""
    return f"ipmarket-redrive.{group}"


async def redrive(
    bootstrap: str,
    group: str,
    *,
    dry_run: bool = False,
    request_timeout_ms: int = 15_000,
) -> RedriveReport:
    """Republish ``group``'s dead letters not re-driven yet to the topics they came from,
    committing the re-drive group's offsets as it goes. Raises ``KafkaError``,
    ``OSError`` or ``TimeoutError`` when the broker does not answer (what was re-driven
    before stays committed)."""
    topic = dead_letter_topic(group)
    # Counting is a few metadata requests; a re-drive's consumer and producer take more
    # than a second to start and stop: with nothing awaiting, do not start them.
    [count] = await count_dead_letters(bootstrap, [group], request_timeout_ms=request_timeout_ms)
    if count.awaiting_redrive == 0:
        return RedriveReport(0, {})
    # Manually assigned partitions; the group only stores how far re-driving got.
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap,
        group_id=redrive_group(group),
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        request_timeout_ms=request_timeout_ms,
    )
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap, acks="all", request_timeout_ms=request_timeout_ms
    )
    by_topic: dict[str, int] = {}
    try:
        await consumer.start()
        await producer.start()
        await consumer.topics()  # refreshes metadata
        numbers = consumer.partitions_for_topic(topic) or set()
        partitions = [TopicPartition(topic, n) for n in sorted(numbers)]
        consumer.assign(partitions)
        for tp in partitions:
            committed = await consumer.committed(tp)
            if committed is None:
                await consumer.seek_to_beginning(tp)
            else:
                consumer.seek(tp, committed)
        ends = await consumer.end_offsets(partitions)
        pending = {tp for tp in partitions if await consumer.position(tp) < ends[tp]}
        loop = asyncio.get_running_loop()
        stalled_at = loop.time() + _STALLED_S
        while pending:
            batch = await consumer.getmany(*pending, timeout_ms=500, max_records=500)
            if not batch and loop.time() > stalled_at:
                raise TimeoutError(f"no dead letters came from {topic} for {_STALLED_S} s")
            for tp, records in batch.items():
                stalled_at = loop.time() + _STALLED_S
                records = [r for r in records if r.offset < ends[tp]]
                for record in records:
                    original = _header(record, "dlq-original-topic")
                    if original is None:
                        continue
                    if not dry_run:
                        await producer.send_and_wait(
                            original,
                            value=record.value,
                            key=record.key,
                            headers=[(k, v) for k, v in record.headers if not k.startswith("dlq-")],
                        )
                    by_topic[original] = by_topic.get(original, 0) + 1
                if not dry_run and records:
                    await consumer.commit({tp: records[-1].offset + 1})
            pending = {tp for tp in pending if await consumer.position(tp) < ends[tp]}
    finally:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(producer.stop(), 10)
        with contextlib.suppress(Exception):
            await asyncio.wait_for(consumer.stop(), 10)
    return RedriveReport(sum(by_topic.values()), by_topic)


async def count_dead_letters(
    bootstrap: str, groups: Sequence[str], *, request_timeout_ms: int = 15_000
) -> list[DeadLetterCount]:
    """For each consumer group, in the order given, how many dead letters its topic holds
    and how many of them await re-driving. A dead-letter topic the broker does not have
    (yet) counts none. Raises ``KafkaError``, ``OSError`` or ``TimeoutError`` when the
    broker does not answer."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, enable_auto_commit=False, request_timeout_ms=request_timeout_ms
    )
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=request_timeout_ms)
    counts: list[DeadLetterCount] = []
    try:
        await consumer.start()
        await admin.start()
        await consumer.topics()  # refreshes metadata
        for group in groups:
            topic = dead_letter_topic(group)
            numbers = consumer.partitions_for_topic(topic) or set()
            partitions = [TopicPartition(topic, n) for n in sorted(numbers)]
            if not partitions:
                counts.append(DeadLetterCount(group, topic, 0, 0))
                continue
            starts = await consumer.beginning_offsets(partitions)
            ends = await consumer.end_offsets(partitions)
            committed = await admin.list_consumer_group_offsets(
                redrive_group(group), partitions=partitions
            )
            awaiting = 0
            for tp in partitions:
                done = committed[tp].offset if tp in committed else -1
                # Nothing committed (-1) or a commit below what the broker still keeps:
                # re-driving starts from the first record kept.
                awaiting += max(0, ends[tp] - max(done, starts[tp]))
            counts.append(DeadLetterCount(group, topic, sum(ends.values()), awaiting))
    finally:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(admin.close(), 10)
        with contextlib.suppress(Exception):
            await asyncio.wait_for(consumer.stop(), 10)
    return counts


def _header(record: ConsumerRecord, name: str) -> str | None:
    for key, value in record.headers or ():
        if key == name:
            return bytes(value).decode()
    return None


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m shared.messaging.redrive", description=__doc__)
    parser.add_argument("--bootstrap", required=True, help="Kafka bootstrap servers")
    parser.add_argument(
        "--group", required=True, help="consumer group whose dead letters to re-drive"
    )
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args()
    report = asyncio.run(redrive(args.bootstrap, args.group, dry_run=args.dry_run))
    verb = "would re-drive" if args.dry_run else "re-drove"
    print(f"{verb} {report.redriven} dead letters: {report.by_topic}")
    sys.exit(0)


if __name__ == "__main__":
    main()
