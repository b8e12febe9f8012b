"""Catalogue search for Chinese text without a Chinese segmenter.

Chinese has no spaces and PostgreSQL has no Chinese parser here, so a patent's title
and abstract are indexed as the set of their character bigrams (二元切分: 锂电池 ->
锂电, 电池). A keyword matches a patent whose bigrams contain all of the keyword's
bigrams; the candidates are then checked for the keyword itself as a substring, so
the result is exact, not approximate. A GIN index answers two-character keywords (half
of real Chinese technical keywords: 电池, 芯片) as well as longer ones.

Filters are ``facet keys`` (``ipc:H01M``, ``region:4403``, ...). A patent's bigrams and
facet keys together are its ``search keys``, so a keyword with any filters is one GIN
containment test that intersects the keys' posting lists inside the index: no planner
estimate decides which of two indexes to trust (estimates for bigrams of one word are
poor: 高熵 and 熵合 always come together).
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from shared.domain import IpcCode

MIN_KEYWORD = 2
_DROP = re.compile(r"[\s\W_]+", re.UNICODE)


def normalise(text: str) -> str:
    """NFKC (full-width -> half-width), lower case, without spaces and punctuation."""
    return _DROP.sub("", unicodedata.normalize("NFKC", text).lower())


def bigrams(*texts: str | None) -> list[str]:
    """The distinct character bigrams of the texts, sorted (stable for tests and COPY)."""
    found: set[str] = set()
    for text in texts:
        if text:
            found |= grams(normalise(text))
    return sorted(found)


def grams(flat: str) -> set[str]:
    """The distinct character bigrams of an already normalised text."""
    return {flat[i : i + 2] for i in range(len(flat) - 1)}


@dataclass(frozen=True)
class Keyword:
    """One search term: its bigrams select candidates, its text confirms them."""

    text: str
    grams: tuple[str, ...]

    @classmethod
    def parse(cls, raw: str) -> Keyword:
        text = normalise(raw)
        if len(text) < MIN_KEYWORD:
            raise ValueError(f"a keyword needs at least {MIN_KEYWORD} characters: {raw!r}")
        return cls(text, tuple(bigrams(text)))


def keywords(query: str) -> list[Keyword]:
    """The terms of a query, all of which must match: separated by spaces or punctuation
    (锂电池，检测 is two keywords, as people type them), full-width or half-width."""
    terms = [t for t in _DROP.split(unicodedata.normalize("NFKC", query)) if t]
    if not terms:
        raise ValueError(f"no keywords in {query!r}: only spaces and punctuation")
    return [Keyword.parse(term) for term in terms]


def searchable_text(title: str, abstract: str | None) -> str:
    """What keywords are confirmed against (normalised like the keywords)."""
    return normalise(f"{title}{abstract or ''}")


def ipc_keys(codes: Iterable[str]) -> list[str]:
    """Every level of every IPC symbol: section, class, subclass, main group, symbol."""
    keys: set[str] = set()
    for raw in codes:
        code = IpcCode.parse(raw)
        keys.update({code.section, code.klass, code.subclass, code.main_group, code.value})
    return sorted(f"ipc:{k}" for k in keys)


def prefix_keys(namespace: str, code: str | None, lengths: Iterable[int]) -> list[str]:
    if not code:
        return []
    return [f"{namespace}:{code[:n]}" for n in lengths if len(code) >= n]


def code_keys(
    *, ipc_codes: Iterable[str], industry_codes: Iterable[str], region_code: str | None
) -> set[str]:
    """IPC at every level, industry and region at every prefix length: the keys patents,
    supply listings and needs are all filtered by."""
    keys = set(ipc_keys(ipc_codes))
    for industry in industry_codes:
        keys.update(prefix_keys("industry", industry, (1, 2, 3, 4, 5)))
    keys.update(prefix_keys("region", region_code, (2, 4, 6)))
    return keys


def facet_keys(
    *,
    ipc_codes: Iterable[str],
    industry_codes: Iterable[str],
    region_code: str | None,
    patent_type: str,
    patentee_types: Iterable[str],
    legal_status: str,
    payment_mode: str | None,
    tier: str | None = None,
    willingness: str | None = None,
    intended_modes: Iterable[str] = (),
    unexploited: bool = False,
) -> list[str]:
    """The filterable facts of one patent, as keys a GIN index finds by containment.
    Intended modes of transformation are ``intended:`` keys: ``mode:`` is the open
    licence's payment mode."""
    keys = code_keys(ipc_codes=ipc_codes, industry_codes=industry_codes, region_code=region_code)
    keys.add(f"type:{patent_type}")
    keys.update(f"patentee:{t}" for t in patentee_types)
    keys.add(f"status:{legal_status}")
    if payment_mode:
        keys.add(f"mode:{payment_mode}")
        keys.add("offer:open_license")
    if tier:
        keys.add(f"tier:{tier}")
    if willingness:
        keys.add(f"willing:{willingness}")
    keys.update(f"intended:{m}" for m in intended_modes)
    if unexploited:
        keys.add(UNEXPLOITED_KEY)
    return sorted(keys)


# A state-funded patent flagged as unexploited five years after grant.
UNEXPLOITED_KEY = "unexploited:1"


def search_keys(grams: Iterable[str], facets: Iterable[str]) -> list[str]:
    """What the search index holds for one patent: bigrams and facet keys (facet keys
    carry a colon, bigrams never do: punctuation is dropped before cutting)."""
    return sorted({*grams, *facets})


def ipc_filter_key(raw: str) -> str:
    """The facet key of an IPC prefix filter: ``H``, ``H01``, ``H01M``, ``H01M 10`` or a
    full symbol, in any common spelling."""
    text = raw.strip().upper().replace(" ", "")
    if len(text) <= 4:
        if not re.fullmatch(r"[A-H](\d\d([A-Z])?)?", text):
            raise ValueError(f"{raw!r} is not an IPC section, class or subclass")
        return f"ipc:{text}"
    if "/" in text:
        return f"ipc:{IpcCode.parse(text).value}"
    if not re.fullmatch(r"[A-H]\d\d[A-Z]\d{1,4}", text):
        raise ValueError(f"{raw!r} is not an IPC main group such as H01M 10")
    return f"ipc:{text[:4]} {int(text[4:])}"


class SortOrder(StrEnum):
    RELEVANCE = "relevance"  # the default when the query has keywords
    NEWEST = "newest"  # filing date, newest first
    OLDEST = "oldest"
    PRICE_ASC = "price_asc"  # open-licence offers with an up-front price, cheapest first


@dataclass(frozen=True)
class PatentQuery:
    keywords: list[Keyword] = field(default_factory=list)
    # Every group must match; within a group any key may (region 44 or 11).
    facets: tuple[frozenset[str], ...] = ()
    # Keys a patent must not have (unexploited=false).
    excluded: frozenset[str] = frozenset()
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    sort: SortOrder = SortOrder.NEWEST
    limit: int = 20
    after: tuple[date | Decimal, str] | None = None
    # Relevance pages by offset (at most MAX_REACHABLE hits are reachable).
    offset: int = 0

    def fingerprint(self) -> str:
        """What a cursor carries to show which query issued it: everything that decides
        the result but the page (limit, cursor position)."""
        decisive = self.shape()[:6]
        return hashlib.sha256(repr(decisive).encode()).hexdigest()[:16]

    def shape(self) -> tuple[object, ...]:
        """Everything that decides the result, as one hashable value."""
        return (
            tuple(k.text for k in self.keywords),
            tuple(sorted(tuple(sorted(group)) for group in self.facets)),
            tuple(sorted(self.excluded)),
            self.price_min,
            self.price_max,
            self.sort,
            self.limit,
            self.after,
            self.offset,
        )


# Relevance pages by offset: deeper pages cost the engine every hit before them.
MAX_REACHABLE = 10_000


def window_size(limit: int, catalogue_rows: float) -> int:
    """How many rows in sort order a search reads before it asks the index instead.

    If ``window`` rows hold fewer than ``limit`` matches, matches are rarer than
    ``limit / window`` and the index finds fewer than ``limit / window x rows`` of them;
    ``sqrt(limit x rows)`` balances the worst cases of the two plans (about 4,500 rows
    for a page of 20 in a million patents, 630 in 20,000). Rounded up to a multiple of
    :data:`WINDOW_STEP` so the statement text, and its prepared plan, rarely changes."""
    wanted = math.sqrt(limit * max(catalogue_rows, 0.0))
    return max(MIN_WINDOW, math.ceil(wanted / WINDOW_STEP) * WINDOW_STEP)


MIN_WINDOW = 250
WINDOW_STEP = 250
