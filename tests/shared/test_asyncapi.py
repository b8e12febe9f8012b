"""The committed AsyncAPI document says what the event models say."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from shared.events import topics
from shared.events.asyncapi import document, published_types, render

DOC = Path(__file__).resolve().parents[2] / "docs" / "asyncapi.json"


def test_the_committed_document_is_up_to_date() -> None:
    assert DOC.read_text(encoding="utf-8") == render(), (
        "docs/asyncapi.json is stale: run `make asyncapi` and commit it"
    )


def _resolve(doc: dict[str, Any], ref: str) -> Any:
    node: Any = doc
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return node


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [r for v in node.values() for r in _refs(v)]
    if isinstance(node, list):
        return [r for v in node for r in _refs(v)]
    return []


def test_every_event_type_is_documented_on_its_topic_and_every_reference_resolves() -> None:
    doc = document()
    assert doc["asyncapi"] == "3.0.0"
    for ref in _refs(doc):
        assert ref.startswith("#/")
        _resolve(doc, ref)  # raises KeyError if dangling
    addresses = {c["address"]: c for c in doc["channels"].values()}
    assert len(published_types()) >= 10
    for event_type, model in published_types().items():
        message = doc["components"]["messages"][model.__name__]
        assert message["name"] == event_type
        assert model.__name__ in addresses[model.topic]["messages"]
        assert set(model.model_fields) <= set(
            doc["components"]["schemas"][model.__name__]["properties"]
        )
    bank = doc["channels"]["pledgeBank"]
    assert bank["address"] == "ipmarket.pledge.bank.{bankOrgId}.v1"
    assert set(bank["messages"]) == set(addresses[topics.PLEDGE]["messages"])
    json.dumps(doc, ensure_ascii=False)
