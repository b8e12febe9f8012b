"""Cursor pagination: opaque cursors that encode where the previous page ended.

A cursor is the base64 of a JSON object, the sort key of the page's last item. Each list
endpoint declares what its cursor holds as a :class:`Position` and reads it with
:meth:`PageParams.after`, which refuses a cursor whose contents are not that position
(``invalid-cursor``, 422) however it was made: a client can send any base64::

    page: PageDep
    after = page.after(TimeIdPosition)  # None on the first page
    rows = await service.list_things(uow, page.limit, after.key if after else None)
    cursor = TimeIdPosition(t=rows[-1].created_at, id=rows[-1].id).cursor()
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Generic, Self, TypeVar

from fastapi import Query
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from shared.errors import InvalidRequest
from shared.http.types import Instant

T = TypeVar("T")
P = TypeVar("P", bound="Position")

_NOT_ISSUED = "cursor is not one this API issued"


class InvalidCursor(InvalidRequest):
    slug = "invalid-cursor"
    title = "Cursor is not valid"


class Page(BaseModel, Generic[T]):
    """One page of results; pass ``next_cursor`` back as ``cursor`` for the next page."""

    items: list[T]
    next_cursor: str | None = Field(
        default=None, description="Absent on the last page.", examples=["eyJpZCI6MTIzfQ"]
    )


def page_json(items: Sequence[str], next_cursor: str | None) -> bytes:
    """A :class:`Page` on the wire, from items that are JSON text already."""
    return f'{{"items":[{",".join(items)}],"next_cursor":{json.dumps(next_cursor)}}}'.encode()


def encode_cursor(position: dict[str, Any]) -> str:
    raw = json.dumps(position, separators=(",", ":"), default=str).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _cursor_json(cursor: str) -> bytes:
    """The JSON text of ``cursor``; :class:`InvalidCursor` if it is not base64."""
    try:
        return base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    except (binascii.Error, ValueError) as exc:
        raise InvalidCursor(_NOT_ISSUED) from exc


class Position(BaseModel):
    """Where a page ended, as its cursor carries it: subclasses declare the fields (the
    sort key of the page's last item). Strict: a cursor holds exactly these fields, each
    of the JSON type it was issued with."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    def cursor(self) -> str:
        """The cursor for the page after this position."""
        return encode_cursor(self.model_dump(mode="json"))

    @classmethod
    def decode(cls, cursor: str) -> Self:
        """The position ``cursor`` holds; :class:`InvalidCursor` naming what is wrong."""
        try:
            return cls.model_validate_json(_cursor_json(cursor))
        except ValidationError as exc:
            error = exc.errors()[0]
            where = ".".join(str(part) for part in error["loc"]) or "cursor"
            raise InvalidCursor(f"{_NOT_ISSUED} ({where}: {error['msg']})") from None


CursorId = Annotated[str, Field(min_length=1, max_length=255, pattern=r"^[^\x00]+$")]
"""A record's id as a cursor carries it: any text PostgreSQL can store."""


class TimeIdPosition(Position):
    """After the item created (or received, recorded, ...) at ``t`` with id ``id``: the
    position of lists ordered by a timestamp with the id breaking ties."""

    t: Instant
    id: CursorId

    @property
    def key(self) -> tuple[datetime, str]:
        return self.t, self.id


@dataclass(frozen=True)
class PageParams:
    """``limit``, and the cursor of the previous page: read it with :meth:`after`."""

    limit: int
    cursor: str | None = None

    def after(self, position: type[P]) -> P | None:
        """Where the previous page ended (None for the first page), as the ``position``
        the list's cursors hold; :class:`InvalidCursor` if the cursor holds anything else."""
        return position.decode(self.cursor) if self.cursor else None

    def next_cursor(self, items: Sequence[T], position: Callable[[T], Position]) -> str | None:
        """The cursor of the page after ``items``: the ``position`` of its last item when
        the page is full (another may follow), None after a short page."""
        if len(items) < self.limit:
            return None
        return position(items[-1]).cursor()


def page_params(
    limit: Annotated[int, Query(ge=1, le=200, description="Items per page.")] = 50,
    cursor: Annotated[
        str | None, Query(max_length=512, description="`next_cursor` of the previous page.")
    ] = None,
) -> PageParams:
    return PageParams(limit=limit, cursor=cursor)
