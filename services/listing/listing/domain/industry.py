"""Industry codes (GB/T 4754) derived from IPC symbols through a replaceable data file.

``data/ipc_industry.json`` maps an IPC subclass (or class) to industry codes. It is a
working subset, not CNIPA's official concordance (国际专利分类与国民经济行业分类参照
关系表); a deployment replaces the file with the official table in the same shape.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from importlib.resources import files

from shared.domain import IpcCode


@cache
def _mapping() -> dict[str, list[str]]:
    raw = json.loads(files("listing").joinpath("data/ipc_industry.json").read_text("utf-8"))
    mapping: dict[str, list[str]] = raw["mapping"]
    return mapping


def industries_for(ipc_codes: Iterable[str]) -> list[str]:
    """The industry codes of a patent's IPC symbols, in first-seen order, no repeats."""
    found: dict[str, None] = {}
    mapping = _mapping()
    for raw in ipc_codes:
        code = IpcCode.parse(raw)
        for key in (code.subclass, code.klass):
            if key in mapping:
                found.update(dict.fromkeys(mapping[key]))
                break
    return list(found)
