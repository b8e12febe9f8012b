"""Cursors: what a list issues it takes back; anything else is invalid-cursor."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from shared.http.pagination import InvalidCursor, PageParams, Position, TimeIdPosition


class NumberPosition(Position):
    n: str


def crafted(position: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(position).encode()).decode()


def test_a_position_comes_back_from_its_cursor() -> None:
    beijing = timezone(timedelta(hours=8))
    issued = TimeIdPosition(t=datetime(2026, 3, 1, 9, 30, tzinfo=beijing), id="7c1e")
    after = PageParams(limit=20, cursor=issued.cursor()).after(TimeIdPosition)
    assert after == issued
    assert after is not None
    assert after.key == (datetime(2026, 3, 1, 1, 30, tzinfo=UTC), "7c1e")
    assert after.key[0].tzinfo is UTC
    assert PageParams(limit=20).after(TimeIdPosition) is None


@pytest.mark.parametrize(
    ("cursor", "says"),
    [
        ("not base64!", "cursor is not one this API issued"),
        (crafted([1]), "cursor: Input should be an object"),
        (crafted({"t": 5, "id": [1]}), "t: Input should be a valid datetime"),
        (crafted({"t": "2026-03-01T09:30:00", "id": "x"}), "t: Input should have timezone info"),
        (crafted({"t": "2026-03-01T09:30:00Z"}), "id: Field required"),
        (crafted({"t": "2026-03-01T09:30:00Z", "id": 7}), "id: Input should be a valid string"),
        (crafted({"t": "2026-03-01T09:30:00Z", "id": "a\x00"}), "id: String should match"),
        (crafted({"t": "9999-12-31T23:59:59-14:00", "id": "x"}), "t: outside the range"),
        (crafted({"t": "2026-03-01T09:30:00Z", "id": "x", "n": 1}), "n: Extra inputs"),
        (base64.urlsafe_b64encode(b"\xff\xfe").decode(), "cursor is not one this API issued"),
    ],
)
def test_anything_else_is_an_invalid_cursor_naming_what_is_wrong(cursor: str, says: str) -> None:
    with pytest.raises(InvalidCursor, match="cursor is not one this API issued") as caught:
        PageParams(limit=20, cursor=cursor).after(TimeIdPosition)
    assert says in caught.value.detail
    assert caught.value.status == 422
    assert caught.value.slug == "invalid-cursor"


def test_each_list_reads_its_own_position() -> None:
    number = NumberPosition(n="201710601862.3").cursor()
    assert PageParams(limit=1, cursor=number).after(NumberPosition) == NumberPosition(
        n="201710601862.3"
    )
    with pytest.raises(InvalidCursor):
        PageParams(limit=1, cursor=number).after(TimeIdPosition)


def test_only_a_full_page_has_a_next_cursor_at_its_last_item() -> None:
    at = datetime(2026, 12, 6, 9, 30, tzinfo=UTC)
    items = [("a", at), ("b", at + timedelta(seconds=1))]

    def position(item: tuple[str, datetime]) -> TimeIdPosition:
        return TimeIdPosition(t=item[1], id=item[0])

    assert PageParams(limit=3).next_cursor(items, position) is None
    cursor = PageParams(limit=2).next_cursor(items, position)
    assert cursor is not None
    assert PageParams(limit=2, cursor=cursor).after(TimeIdPosition) == position(items[-1])
