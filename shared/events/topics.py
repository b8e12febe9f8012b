"""Kafka topics: one per publishing service and visibility, plus dead letters.

Keys: events about one patent are keyed by its normalised application number
(``201710601862.3``), so one service's events about one patent stay in order.
Events about several patents (a portfolio pledge) are keyed by their aggregate's id
and list the patents in their data. Consumers may not assume any order across
services or across keys.
"""

from __future__ import annotations

import re

LISTING = "ipmarket.listing.v1"
LICENSE = "ipmarket.license.v1"
PLEDGE = "ipmarket.pledge.v1"
REGISTRY = "ipmarket.registry.v1"
# Enterprises' feedback on the patents matching proposed to them (enterprise names are
# public business facts; what they wrote stays inside matching).
MATCHING = "ipmarket.matching.v1"

PUBLIC_TOPICS = (LISTING, LICENSE, PLEDGE, REGISTRY, MATCHING)

# Listing's restatements of its catalogue (one event per patent, on the operator's
# request) for the platform's own services that keep a view of it. Internal: not
# public, never delivered to connected platforms (a million copies of what they know).
LISTING_RESTATEMENTS = "ipmarket.listing.restatements.v1"

_ORG_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def dead_letter_topic(consumer_group: str) -> str:
    """The dead-letter topic of one consumer group."""
    return f"ipmarket.dlq.{consumer_group}.v1"


def bank_pledge_topic(bank_org_id: str) -> str:
    """The topic that carries one bank's pledge events and nobody else's (Kafka ACLs)."""
    if not _ORG_ID.match(bank_org_id):
        raise ValueError(f"bank organisation id {bank_org_id!r} is not usable in a topic name")
    return f"ipmarket.pledge.bank.{bank_org_id}.v1"
