"""Cursors a client could craft: base64 JSON objects this API never issued."""

from __future__ import annotations

import base64
import json

import httpx


def _encoded(position: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(position).encode()).decode()


CRAFTED_CURSORS = [
    "eyJ0IjogNSwgImlkIjogWzFdfQ==",  # {"t": 5, "id": [1]}, as a fuzzer sent it
    _encoded({}),
    _encoded({"t": "yesterday", "id": "x"}),
    _encoded({"t": "2026-01-01T00:00:00+00:00"}),
    _encoded({"t": "2026-01-01T00:00:00+00:00", "id": "a\x00b"}),
    _encoded({"t": "2026-01-01T00:00:00+00:00", "id": 7}),
    _encoded({"t": "9999-12-31T23:59:59-14:00", "id": "x"}),  # past the last UTC instant
    _encoded({"t": "2026-01-01T00:00:00+00:00", "id": "x", "more": 1}),
    _encoded({"n": [1]}),
    _encoded({"n": "a\x00b"}),
    _encoded({"k": "2026-01-01", "n": 5}),
    _encoded({"k": "1e999999", "n": "201710601862.3"}),
]


async def assert_crafted_cursors_refused(
    client: httpx.AsyncClient, url: str, headers: dict[str, str]
) -> None:
    """Every crafted cursor on ``url`` is a 422 ``invalid-cursor``, never a 500."""
    for cursor in CRAFTED_CURSORS:
        response = await client.get(url, params={"cursor": cursor}, headers=headers)
        assert response.status_code == 422, (url, cursor, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["type"].endswith("/invalid-cursor"), (url, response.text)
