"""An upload's character encoding: named by the uploader, or detected from the file's start.

Chinese offices export CSV from Excel in GB18030/GBK as often as in UTF-8 (with or without
a byte order mark); UTF-16 is refused with what to do instead.
"""

from __future__ import annotations

import codecs

from shared.errors import UploadEncodingUnknown

HEAD_BYTES = 64 * 1024
"""How much of the file's start the encoding is detected from (cut at its last newline)."""

UTF8_BOM = codecs.BOM_UTF8
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# Python codec -> what a reader is told. GBK and GB2312 are read as GB18030, their superset.
ENCODINGS = {
    "utf-8": "utf-8",
    "utf8": "utf-8",
    "utf-8-sig": "utf-8-sig",
    "gb18030": "gb18030",
    "gbk": "gb18030",
    "gb2312": "gb18030",
}
DISPLAY_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "gb18030": "GB18030"}


def encoding_named(name: str) -> str:
    """The codec for an ``encoding`` parameter; refuses one it does not read."""
    codec = ENCODINGS.get(name.strip().lower().replace("_", "-"))
    if codec is None:
        raise UploadEncodingUnknown(
            f"encoding: {name!r} is not read; give one of utf-8, utf-8-sig, gb18030, gbk, "
            "gb2312, or leave it out to detect it",
            field="encoding",
        )
    return codec


_DETECTED = ("utf-8", "gb18030")


def _decodes(line: bytes, codec: str) -> bool:
    try:
        line.decode(codec)
    except UnicodeDecodeError:
        return False
    return True


def detect_encoding(head: bytes, *, whole_file: bool) -> str:
    """The codec of a file starting with ``head`` (:data:`HEAD_BYTES` of it, or all of it
    when ``whole_file``): a UTF-8 byte order mark, else strictly valid UTF-8, else valid
    GB18030, else the one of the two that reads all but at most one line in ten. UTF-16
    is refused, with what to do instead."""
    if head.startswith(_UTF16_BOMS):
        raise UploadEncodingUnknown(
            "encoding: the file is UTF-16 (it starts with a UTF-16 byte order mark); save it "
            "as UTF-8 or GB18030 (Excel: 'CSV UTF-8' or 'CSV')",
            field="encoding",
        )
    if head.startswith(UTF8_BOM):
        return "utf-8-sig"
    if not whole_file and b"\n" in head:
        head = head[: head.rindex(b"\n") + 1]  # a character may straddle the cut
    for codec in _DETECTED:
        try:
            head.decode(codec)
        except UnicodeDecodeError:
            continue
        return codec
    # Neither reads every line: a few damaged lines in an otherwise readable file become
    # row errors, so take the codec that reads the most lines, if it fails at most one
    # line in ten.
    lines = head.split(b"\n")
    failing = {codec: sum(not _decodes(line, codec) for line in lines) for codec in _DETECTED}
    best = min(_DETECTED, key=lambda codec: failing[codec])
    if failing[best] * 10 <= len(lines):
        return best
    raise UploadEncodingUnknown(
        "encoding: the file's start is neither UTF-8 nor GB18030; give its encoding "
        "(encoding=utf-8, gb18030 or gbk)",
        field="encoding",
    )
