"""The tantivy side of the search benchmarks (bench/catalogue.py, bench/relevance.py).

Two things, kept apart so each can be checked on its own:
  * the baselines: tantivy-py queried directly on an index listing's engine wrote
    (docs/listing.md), the query built by hand: ``design_query`` (each keyword's bigram
    phrase MUST, the segmented words SHOULD, facet groups and price MUST) and
    ``bm25_query`` (the standard setup: the query's segmented words OR'ed, BM25 over
    ``words``);
  * ``ServiceEngine``: the only place that calls listing's engine and its relevance code.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import asyncpg
import tantivy

from listing.domain.search import PatentQuery, facet_keys, keywords
from listing.search.engine.index import EngineQuery, SearchDocument, SearchIndex, keyword_grams
from listing.search.engine.segment import words as segment
from listing.search.relevance import INDEX, RelevanceSearch

Doc = SearchDocument


def patent_document(patent: dict[str, Any]) -> Doc:
    """A generated patent (as the API takes it) as the engine indexes it."""
    keys = facet_keys(
        ipc_codes=patent["ipc_codes"],
        industry_codes=(),
        region_code=patent["region_code"],
        patent_type="invention",
        patentee_types=[p["party_type"] for p in patent["patentees"]],
        legal_status="valid",
        payment_mode=None,
    )
    return Doc(
        patent["application_number"],
        f"{patent['title']}{patent['abstract']}",
        tuple(keys),
        date.fromisoformat(patent["filing_date"]),
    )


def find_index(root: Path) -> Path:
    """The tantivy index at ``root``: the generation its ``CURRENT`` names (listing's
    follower swaps generations so), or the folder of the newest ``meta.json`` under it."""
    current = root / "CURRENT"
    if current.exists():
        return root / current.read_text().strip()
    metas = sorted(root.rglob("meta.json"), key=lambda p: p.stat().st_mtime)
    if not metas:
        raise FileNotFoundError(f"no tantivy index under {root}")
    return metas[-1].parent


@dataclass(frozen=True)
class Search:
    """A search as the benchmarks ask it: space-separated keywords, facet groups."""

    text: str
    facets: tuple[frozenset[str], ...] = ()
    price_min: Decimal | None = None
    price_max: Decimal | None = None

    def flat_keywords(self) -> list[str]:
        """The keywords as the service reads them (split at spaces and punctuation)."""
        return [k.text for k in keywords(self.text)]

    def words(self) -> list[str]:
        return [w for k in self.flat_keywords() for w in segment(k)]


class Baseline:
    """tantivy-py on an index directory, queries built by hand."""

    def __init__(self, path: Path) -> None:
        self.index = tantivy.Index.open(str(find_index(path)))
        self.schema = self.index.schema
        self.searcher = self.index.searcher()

    def design_query(self, s: Search) -> tantivy.Query:
        """Listing's relevance query: every keyword as its bigram phrase (MUST), the
        segmented words (SHOULD), each facet group and the price range (MUST, unscored)."""
        must = tantivy.Occur.Must
        clauses: list[tuple[tantivy.Occur, tantivy.Query]] = []
        for flat in s.flat_keywords():
            grams = keyword_grams(flat)
            q = (
                tantivy.Query.term_query(self.schema, "grams", grams[0])
                if len(grams) == 1
                else tantivy.Query.phrase_query(self.schema, "grams", grams)
            )
            clauses.append((must, q))
        clauses += [
            (tantivy.Occur.Should, tantivy.Query.term_query(self.schema, "words", w, "freq"))
            for w in dict.fromkeys(s.words())
        ]
        for group in s.facets:
            q = (
                tantivy.Query.term_query(self.schema, "keys", next(iter(group)), "basic")
                if len(group) == 1
                else tantivy.Query.term_set_query(self.schema, "keys", sorted(group))
            )
            clauses.append((must, tantivy.Query.const_score_query(q, 0.0)))
        if s.price_min is not None or s.price_max is not None:
            low = None if s.price_min is None else float(s.price_min)
            high = None if s.price_max is None else float(s.price_max)
            q = tantivy.Query.range_query(self.schema, "price", tantivy.FieldType.Float, low, high)
            clauses.append((must, tantivy.Query.const_score_query(q, 0.0)))
        return tantivy.Query.boolean_query(clauses)

    def bm25_query(self, s: Search) -> tantivy.Query:
        """The standard setup: BM25 of the query's segmented words, any of them."""
        return tantivy.Query.boolean_query(
            [
                (tantivy.Occur.Should, tantivy.Query.term_query(self.schema, "words", w, "freq"))
                for w in dict.fromkeys(s.words())
            ]
        )

    def ids(self, query: tantivy.Query, limit: int = 20) -> list[str]:
        hits = self.searcher.search(query, limit, count=False).hits
        return [self.searcher.doc(address)["id"][0] for _, address in hits]


class _Serving:
    """What RelevanceSearch asks of listing's follower: the serving index (here a reader
    of the directory listing's follower writes)."""

    def __init__(self, index: SearchIndex) -> None:
        self._index = index

    def index(self, name: str) -> SearchIndex:
        assert name == INDEX, name
        return self._index


class ServiceEngine:
    """listing's engine in process on an index directory: every call into it is here.

    ``search`` is the API's own relevance code (``listing.search.relevance``): the engine's
    search on a reader of the directory, then the hits' rows from PostgreSQL. ``ids`` is
    the engine's search alone (the labelled set needs no database)."""

    def __init__(self, path: Path, pool: asyncpg.Pool | None = None) -> None:
        self.pool = pool
        find_index(path)  # SearchIndex would create an empty index where none is
        self._index = SearchIndex.open(path, writable=False)
        self._relevance = RelevanceSearch(pool, _Serving(self._index))  # type: ignore[arg-type]

    def count(self) -> int:
        """How many documents the reader sees now."""
        self._index.reload()
        return self._index.count()

    def ids(self, s: Search, limit: int = 20) -> list[str]:
        query = EngineQuery(
            keywords=tuple(s.flat_keywords()),
            facets=s.facets,
            price_min=s.price_min,
            price_max=s.price_max,
            limit=limit,
        )
        return [hit.id for hit in self._index.search(query)]

    async def search(self, s: Search) -> list[str]:
        """A first page of 20 hits, as the API answers it before JSON and HTTP."""
        assert self.pool is not None
        query = PatentQuery(
            keywords=keywords(s.text), facets=s.facets, price_min=s.price_min, price_max=s.price_max
        )
        return await self._relevance.search(query)


def build_index(path: Path, docs: Iterable[Doc], batch: int = 20_000) -> Path:
    """An index of ``docs`` written by listing's engine; the directory to open it with."""
    index = SearchIndex(path)
    chunk: list[Doc] = []
    for doc in docs:
        chunk.append(doc)
        if len(chunk) == batch:
            index.apply(chunk)
            chunk = []
    index.apply(chunk)
    index.close()
    return path
