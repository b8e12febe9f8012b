"""Re-drive a consumer group's dead letters after a fix.

``python -m shared.messaging.redrive --bootstrap HOST:PORT --group ipmarket-license``
reads ``ipmarket.dlq.<group>.v1`` up to its current end and republishes each record, with
its original key and headers, to the topic it came from. Every consumer group of that topic
sees it again; groups that had handled it already skip it (their inbox has its id), the
group that parked it handles it now. Re-driving is tracked by its own consumer group, so a
dead letter is re-driven once; ``--dry-run`` only lists what would be.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition

from shared.events.topics import dead_letter_topic


@dataclass(frozen=True)
class RedriveReport:
    redriven: int
    by_topic: dict[str, int]


async def redrive(bootstrap: str, group: str, *, dry_run: bool = False) -> RedriveReport:
    topic = dead_letter_topic(group)
    # Manually assigned partitions; the group only stores how far re-driving got.
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap,
        group_id=f"ipmarket-redrive.{group}",
        enable_auto_commit=False,
        auto_offset_reset="earliest",
    )
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await consumer.start()
    await producer.start()
    by_topic: dict[str, int] = {}
    try:
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
        while pending:
            batch = await consumer.getmany(timeout_ms=500, max_records=500)
            for tp, records in batch.items():
                for record in records:
                    if record.offset >= ends[tp]:
                        break
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
        await asyncio.wait_for(producer.stop(), 10)
        await asyncio.wait_for(consumer.stop(), 10)
    return RedriveReport(sum(by_topic.values()), by_topic)


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
