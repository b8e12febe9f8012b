"""What an upload's bytes mean: encodings (given and detected), CSV as Excel writes it,
JSON Lines, row numbers and row errors, and the files refused whole."""

from __future__ import annotations

import codecs
import json

import pytest

from shared.errors import UploadEncodingUnknown, UploadHeaderInvalid
from shared.uploads.encodings import HEAD_BYTES, detect_encoding, encoding_named
from shared.uploads.formats import (
    Column,
    Format,
    Parsed,
    RawRow,
    RowError,
    RowParser,
    UploadSpec,
)

SPEC = UploadSpec(
    kind="things",
    columns=(
        Column("number", ("申请号",), required=True),
        Column("title", ("专利名称", "名称")),
        Column("notes"),
    ),
    key_column="number",
    normalise_key=lambda value: value.strip().upper(),
)
CSV_TEXT = '申请号,专利名称\r\nA1,电池检测\r\nA2,"多行\r\n名称"\r\nA3,储能\r\n'


def parse(
    data: bytes, fmt: Format = Format.CSV, codec: str = "utf-8", piece: int = 7
) -> list[Parsed]:
    """Fed in small pieces, so characters and records straddle the pieces."""
    parser = RowParser(SPEC, fmt, codec)
    out: list[Parsed] = []
    for start in range(0, len(data), piece):
        out += parser.feed(data[start : start + piece])
    return out + parser.finish()


def test_a_gb18030_file_with_chinese_headers_gives_its_rows() -> None:
    data = CSV_TEXT.encode("gb18030")
    assert detect_encoding(data, whole_file=True) == "gb18030"
    rows = parse(data, codec="gb18030")
    assert rows == [
        RawRow(1, 2, {"number": "A1", "title": "电池检测"}),
        RawRow(2, 3, {"number": "A2", "title": "多行\r\n名称"}),  # a quoted newline
        RawRow(3, 5, {"number": "A3", "title": "储能"}),
    ]


@pytest.mark.parametrize("bom", [b"", codecs.BOM_UTF8])
def test_utf8_with_and_without_a_byte_order_mark(bom: bytes) -> None:
    data = bom + CSV_TEXT.encode("utf-8")
    codec = detect_encoding(data, whole_file=True)
    assert codec == ("utf-8-sig" if bom else "utf-8")
    rows = parse(data, codec=codec, piece=1)
    assert next(r.values["title"] for r in rows if isinstance(r, RawRow)) == "电池检测"
    # A BOM is dropped whichever UTF-8 the caller named.
    assert parse(data, codec="utf-8")[0] == rows[0]


def test_detection_reads_the_head_cut_at_a_newline_and_refuses_utf16() -> None:
    # A character cut by the 64 KiB limit does not make the head look undecodable.
    line = "A1,电池检测\n".encode()
    data = b"number,title\n" + line * (HEAD_BYTES // len(line) + 2)
    assert detect_encoding(data[:HEAD_BYTES], whole_file=False) == "utf-8"
    with pytest.raises(UploadEncodingUnknown, match="UTF-16"):
        detect_encoding(CSV_TEXT.encode("utf-16"), whole_file=True)
    with pytest.raises(UploadEncodingUnknown, match="encoding"):
        detect_encoding(b"number\n\x80\xff\n", whole_file=True)


def test_encoding_names_and_their_supersets() -> None:
    assert encoding_named("GBK") == "gb18030"
    assert encoding_named("gb2312") == "gb18030"
    assert encoding_named("UTF_8") == "utf-8"
    with pytest.raises(UploadEncodingUnknown) as refused:
        encoding_named("latin-1")
    assert refused.value.extensions["field"] == "encoding"


def test_an_undecodable_line_is_a_row_error_and_the_next_rows_still_come() -> None:
    data = "申请号,名称\nA1,电池\n".encode("gb18030") + b"A2,\xff\xfe\nA3,ok\n"
    rows = parse(data, codec="gb18030")
    assert rows[1] == RowError(2, None, "bytes at line 3, byte 4 are not valid GB18030", 3)
    assert rows[2] == RawRow(3, 4, {"number": "A3", "title": "ok"})


def test_excel_quirks_blank_lines_and_rows_of_empty_cells_are_not_rows() -> None:
    data = b"number,title,notes\r\n\r\nA1,x,\r\n,,\r\n\r\n"
    assert parse(data) == [RawRow(1, 3, {"number": "A1", "title": "x", "notes": None})]


def test_a_row_with_more_cells_than_the_header_is_an_error() -> None:
    rows = parse(b"number,title\nA1,x,extra\nA2\n")
    assert rows == [
        RowError(1, None, "the row has 3 cells, the header 2", 2),
        RawRow(2, 3, {"number": "A2", "title": None}),
    ]


def test_an_unclosed_quote_is_a_row_error_at_the_end() -> None:
    rows = parse(b'number,title\nA1,"never closed\nA2,x\n')
    assert rows == [
        RowError(1, None, "a quoted field opened on line 2 is not closed by the end of the file", 2)
    ]


@pytest.mark.parametrize(
    ("header", "field", "message"),
    [
        ("title\n", "number", "required column 'number' is missing"),
        ("number,colour\n", "colour", "unknown column 'colour'"),
        ("number,申请号\n", "number", "column 'number' appears twice"),
    ],
)
def test_a_bad_header_refuses_the_file_naming_the_column(
    header: str, field: str, message: str
) -> None:
    with pytest.raises(UploadHeaderInvalid, match=message) as refused:
        parse(header.encode())
    assert refused.value.extensions["field"] == field


def test_a_file_without_a_header_is_refused() -> None:
    with pytest.raises(UploadHeaderInvalid, match="no header"):
        parse(b"\r\n\r\n")


def test_the_same_key_twice_is_an_error_on_the_second_naming_the_first() -> None:
    rows = parse(b"number,title\nA1,x\na1 ,y\nA2,z\n")
    assert rows[1] == RowError(2, "number", "A1 appears twice in the file, first at row 1", 3)
    assert isinstance(rows[2], RawRow)


def test_json_lines_rows_errors_and_aliases() -> None:
    lines = [
        json.dumps({"申请号": "A1", "title": "电池"}, ensure_ascii=False),
        "",
        "[1, 2]",
        "{not json",
        json.dumps({"number": "A2", "colour": "red"}),
        json.dumps({"title": "no number"}),
        json.dumps({"number": "A1"}),
    ]
    rows = parse("\n".join(lines).encode(), fmt=Format.JSONL)
    assert rows[0] == RawRow(1, 1, {"number": "A1", "title": "电池"})
    assert rows[1] == RowError(2, None, "not a JSON object (one object per line)", 3)
    assert isinstance(rows[2], RowError)
    assert rows[2].reason.startswith("not a JSON object:")
    assert rows[3] == RowError(
        4, "colour", "unknown field; this upload takes: number, title, notes", 5
    )
    assert rows[4] == RowError(5, "number", "required", 6)
    assert rows[5] == RowError(6, "number", "A1 appears twice in the file, first at row 1", 7)
