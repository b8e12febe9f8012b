"""What a connected platform wants: event types (with wildcards) and filters."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field


def type_matches(patterns: Iterable[str], event_type: str) -> bool:
    """``*`` matches anything within a pattern: ``cn.ipmarket.listing.*`` matches every
    listing event, ``*.declaration.*`` every declaration event, ``*`` everything."""
    return any(fnmatch.fnmatchcase(event_type, p) for p in patterns)


@dataclass(frozen=True)
class EventAttributes:
    """What filters look at, from the event itself or the patent it is about."""

    region_code: str | None = None
    ipc_codes: tuple[str, ...] = ()
    industry_codes: tuple[str, ...] = ()
    patent_type: str | None = None


@dataclass(frozen=True)
class Filters:
    """Every filter that is set must match; a list matches when any entry does.

    Regions match by prefix of the six-digit code (``44`` is Guangdong, ``4403``
    Shenzhen); IPC by prefix (``H01M`` matches ``H01M 10/48``); industries by prefix
    of the GB/T 4754 code; patent types exactly. An event without the attribute a
    filter needs does not match it.
    """

    regions: Sequence[str] = field(default_factory=tuple)
    ipc_prefixes: Sequence[str] = field(default_factory=tuple)
    industries: Sequence[str] = field(default_factory=tuple)
    patent_types: Sequence[str] = field(default_factory=tuple)

    def matches(self, attrs: EventAttributes) -> bool:
        if self.regions and not (
            attrs.region_code and any(attrs.region_code.startswith(r) for r in self.regions)
        ):
            return False
        if self.ipc_prefixes and not _any_prefix(attrs.ipc_codes, self.ipc_prefixes):
            return False
        if self.industries and not _any_prefix(attrs.industry_codes, self.industries):
            return False
        return not self.patent_types or attrs.patent_type in self.patent_types


def _any_prefix(values: Iterable[str], prefixes: Sequence[str]) -> bool:
    normalised = [p.replace(" ", "").upper() for p in prefixes]
    return any(v.replace(" ", "").upper().startswith(p) for v in values for p in normalised)
