"""What an upload's bytes mean: their encoding, and the rows of a CSV or JSON Lines file.

Framework-free and incremental: a :class:`RowParser` is fed the file's bytes as they come
(from the request, or back from the database) and gives each row as a :class:`RawRow`, or
as a :class:`RowError` when the row itself is unreadable (bytes that do not decode, a line
of JSON Lines that is not an object, the same key twice). A file that cannot be read at all
(no header, an unknown column, an unknown encoding) raises a :class:`ProblemError`.

Row numbers count data rows from 1: in CSV the row after the header is row 1; in JSON
Lines the first non-blank line is row 1. Blank lines (and, in CSV, lines of empty cells,
which Excel leaves at the end of a sheet) are not rows. ``line`` is the physical line
(from 1) a row starts on, the header counting as a line.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from shared.errors import UploadEncodingUnknown, UploadHeaderInvalid
from shared.uploads.encodings import DISPLAY_NAMES, UTF8_BOM


class Format(StrEnum):
    CSV = "csv"
    JSONL = "jsonl"


@dataclass(frozen=True)
class Column:
    """A column of an upload: its canonical name (the key handlers read), the other headers
    it may go by (``申请号``), and whether a CSV file must have it."""

    name: str
    aliases: tuple[str, ...] = ()
    required: bool = False


@dataclass(frozen=True)
class UploadSpec:
    """What one kind of upload holds.

    ``key_column``/``normalise_key``: the column identifying a row's subject (the
    application number) and how its value is normalised; the same key twice in one file
    makes the second a row error. ``normalise_key`` raises ``ValueError`` on a value that
    is no key: the row is then not checked for duplicates (its handler refuses the value).
    """

    kind: str
    columns: tuple[Column, ...]
    key_column: str | None = None
    normalise_key: Callable[[str], str] = str.strip
    max_rows: int = 100_000
    max_bytes: int = 100 * 1024 * 1024
    _names: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        names: dict[str, str] = {}
        for column in self.columns:
            for name in (column.name, *column.aliases):
                names[_folded(name)] = column.name
        object.__setattr__(self, "_names", names)

    def canonical(self, header: str) -> str | None:
        """The canonical name a header or JSON key stands for (case and spaces aside)."""
        return self._names.get(_folded(header))

    def key(self, values: dict[str, Any]) -> str | None:
        if self.key_column is None:
            return None
        raw = values.get(self.key_column)
        if raw is None or raw == "":
            return None
        try:
            return self.normalise_key(str(raw))
        except ValueError:
            return None

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    def takes(self) -> str:
        return ", ".join(c.name for c in self.columns)


def _folded(name: str) -> str:
    return name.strip().lstrip("\ufeff").strip().casefold()


@dataclass(frozen=True)
class RawRow:
    """One data row: its number, the physical line it starts on, and its values by
    canonical column name (in CSV a string, or None for an empty cell)."""

    number: int
    line: int
    values: dict[str, Any]


@dataclass(frozen=True)
class RowError:
    """Why row ``row`` was not taken; ``field`` is the canonical column name, when one is
    to blame. A handler may leave ``line`` out: the runner fills it in."""

    row: int
    field: str | None
    reason: str
    line: int | None = None


Parsed = RawRow | RowError


class RowParser:
    """Rows of one file, fed its bytes in pieces of any size; :meth:`finish` at the end."""

    def __init__(self, spec: UploadSpec, fmt: Format, codec: str) -> None:
        self.spec = spec
        self.format = Format(fmt)
        self._codec = "utf-8" if codec == "utf-8-sig" else codec
        self._display = DISPLAY_NAMES.get(codec, codec)
        self._buffer = bytearray()
        self._started = False
        self._line = 0
        self._pending: list[bytes] = []  # physical lines of a CSV record inside quotes
        self._pending_line = 0
        self._quotes = 0
        self.header: list[str] | None = None
        self.rows = 0
        self._seen: dict[str, int] = {}

    def feed(self, data: bytes) -> list[Parsed]:
        if not self._started and data:
            self._buffer += data
            if len(self._buffer) < len(UTF8_BOM) and UTF8_BOM.startswith(bytes(self._buffer)):
                return []
            self._started = True
            if self._codec == "utf-8" and self._buffer.startswith(UTF8_BOM):
                del self._buffer[: len(UTF8_BOM)]
        else:
            self._buffer += data
        out: list[Parsed] = []
        start = 0
        buffer = self._buffer
        while (end := buffer.find(b"\n", start)) >= 0:
            self._physical(bytes(buffer[start:end]), out)
            start = end + 1
        del buffer[:start]
        return out

    def finish(self) -> list[Parsed]:
        out: list[Parsed] = []
        if self._buffer:
            self._physical(bytes(self._buffer), out)
            self._buffer.clear()
        if self._pending:
            self.rows += 1
            out.append(
                RowError(
                    self.rows,
                    None,
                    f"a quoted field opened on line {self._pending_line} is not closed "
                    "by the end of the file",
                    self._pending_line,
                )
            )
            self._pending = []
        if self.format is Format.CSV and self.header is None:
            raise UploadHeaderInvalid("the file has no header row", field="header")
        return out

    # -- lines and records -----------------------------------------------------------------

    def _physical(self, line: bytes, out: list[Parsed]) -> None:
        self._line += 1
        if self.format is Format.JSONL:
            self._json_line(line, out)
            return
        if not self._pending:
            self._pending_line = self._line
        self._pending.append(line)
        # A record ends where its quotes balance: RFC 4180 doubles a quote inside a quoted
        # field, and 0x22 is never part of a multi-byte UTF-8 or GB18030 character.
        self._quotes += line.count(b'"')
        if self._quotes % 2:
            return
        lines, self._pending, self._quotes = self._pending, [], 0
        self._csv_record(lines, self._pending_line, out)

    def _decoded(self, lines: list[bytes], first_line: int) -> str | _Undecodable:
        try:
            return b"\n".join(lines).decode(self._codec)
        except UnicodeDecodeError:
            pass
        for offset, line in enumerate(lines):
            try:
                line.decode(self._codec)
            except UnicodeDecodeError as exc:
                return _Undecodable(
                    f"bytes at line {first_line + offset}, byte {exc.start + 1} are not "
                    f"valid {self._display}"
                )
        return _Undecodable(
            f"bytes of lines {first_line}-{first_line + len(lines) - 1} are not "
            f"valid {self._display}"
        )

    def _csv_record(self, lines: list[bytes], line: int, out: list[Parsed]) -> None:
        text = self._decoded(lines, line)
        if isinstance(text, _Undecodable):
            if self.header is None:
                raise UploadEncodingUnknown(
                    f"encoding: the header's {text.reason}; give the file's encoding",
                    field="encoding",
                )
            self.rows += 1
            out.append(RowError(self.rows, None, text.reason, line))
            return
        reason = ""
        cells: list[str] | None
        try:
            cells = next(csv.reader([text.removesuffix("\r")]), [])
        except csv.Error as exc:
            cells, reason = None, f"not readable as CSV: {exc}"
        if cells is not None and not any(c.strip() for c in cells):
            return  # a blank line, or a row of empty cells: not a row
        if self.header is None:
            if cells is None:
                raise UploadHeaderInvalid(f"the header row is {reason}", field="header")
            self.header = self._header(cells)
            return
        self.rows += 1
        if cells is None:
            out.append(RowError(self.rows, None, reason, line))
            return
        if len(cells) > len(self.header):
            out.append(
                RowError(
                    self.rows,
                    None,
                    f"the row has {len(cells)} cells, the header {len(self.header)}",
                    line,
                )
            )
            return
        values: dict[str, Any] = dict.fromkeys(self.header)
        for name, cell in zip(self.header, cells, strict=False):
            values[name] = cell if cell.strip() else None
        self._row(values, line, out)

    def _header(self, cells: list[str]) -> list[str]:
        names: list[str] = []
        for cell in cells:
            name = self.spec.canonical(cell)
            if name is None:
                raise UploadHeaderInvalid(
                    f"header: unknown column {cell.strip()!r}; this upload takes: "
                    f"{self.spec.takes()}",
                    field=cell.strip(),
                )
            if name in names:
                raise UploadHeaderInvalid(
                    f"header: column {name!r} appears twice ({cell.strip()!r})", field=name
                )
            names.append(name)
        missing = [name for name in self.spec.required if name not in names]
        if missing:
            raise UploadHeaderInvalid(
                f"header: required column {missing[0]!r} is missing", field=missing[0]
            )
        return names

    def _json_line(self, line: bytes, out: list[Parsed]) -> None:
        if not line.strip():
            return
        self.rows += 1
        text = self._decoded([line], self._line)
        if isinstance(text, _Undecodable):
            out.append(RowError(self.rows, None, text.reason, self._line))
            return
        try:
            document = json.loads(text)
        except ValueError as exc:
            out.append(RowError(self.rows, None, f"not a JSON object: {exc}", self._line))
            return
        if not isinstance(document, dict):
            out.append(
                RowError(self.rows, None, "not a JSON object (one object per line)", self._line)
            )
            return
        values: dict[str, Any] = {}
        for key, value in document.items():
            name = self.spec.canonical(key)
            if name is None:
                out.append(
                    RowError(
                        self.rows,
                        key,
                        f"unknown field; this upload takes: {self.spec.takes()}",
                        self._line,
                    )
                )
                return
            values[name] = value
        for name in self.spec.required:
            if values.get(name) is None:
                out.append(RowError(self.rows, name, "required", self._line))
                return
        self._row(values, self._line, out)

    def _row(self, values: dict[str, Any], line: int, out: list[Parsed]) -> None:
        key = self.spec.key(values)
        if key is not None:
            first = self._seen.setdefault(key, self.rows)
            if first != self.rows:
                out.append(
                    RowError(
                        self.rows,
                        self.spec.key_column,
                        f"{key} appears twice in the file, first at row {first}",
                        line,
                    )
                )
                return
        out.append(RawRow(self.rows, line, values))


@dataclass(frozen=True)
class _Undecodable:
    """Why a record's bytes do not decode (where its text was expected)."""

    reason: str
