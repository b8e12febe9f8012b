"""The tantivy side of the search benchmarks (bench/catalogue.py, bench/relevance.py).

Three things, kept apart so each can be checked on its own:
  * the baselines: tantivy-py queried directly on an index of listing's schema
    (docs/listing.md), the query built by hand: ``design_query`` (each keyword's bigram
    phrase MUST, the segmented words SHOULD, facet groups and price MUST) and
    ``bm25_query`` (the standard setup: the query's segmented words OR'ed, BM25 over
    ``words``);
  * ``write_index``: a writer of that schema for documents the bench generated, used to
    build the labelled set's index, and the catalogue's when listing's engine is absent;
  * ``ServiceEngine``: the only place that calls listing's engine. With ``stub=True``
    (or when listing has no engine) it answers with ``design_query`` instead, and says so.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import asyncpg
import tantivy

from listing.domain.search import facet_keys, normalise
from listing.search.queries import HIT_COLUMNS

ENGINE_MODULE = "listing.search.relevance"
EPOCH = date(1970, 1, 1)


def _has(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def _segmenter() -> Callable[[str], list[str]]:
    """listing's segmenter (the same function the engine indexes with), or rjieba's cut
    while listing has none."""
    if _has("listing.search.engine.segment"):
        from listing.search.engine.segment import words as engine_words  # type: ignore

        return engine_words  # type: ignore[no-any-return]
    import rjieba

    # As listing's segmenter cuts: search mode, single characters dropped.
    return lambda flat: [w for w in rjieba.cut_for_search(flat) if len(w) > 1]


segment = _segmenter()


def engine_available() -> bool:
    return _has(ENGINE_MODULE)


@dataclass(frozen=True)
class Doc:
    """One document as listing's engine indexes it (its SearchDocument)."""

    id: str
    text: str
    keys: tuple[str, ...]
    sort_date: date
    price: Decimal | None = None


def patent_document(patent: dict[str, Any]) -> Doc:
    """A generated patent (as the API takes it) as the engine would index it."""
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


def schema() -> tantivy.Schema:
    b = tantivy.SchemaBuilder()
    b.add_text_field("id", stored=True, tokenizer_name="raw")
    b.add_text_field("grams", tokenizer_name="whitespace", index_option="position")
    b.add_text_field("words", tokenizer_name="whitespace", index_option="freq")
    b.add_text_field("keys", tokenizer_name="raw", index_option="basic")
    b.add_integer_field("sort_date", fast=True, indexed=True)
    b.add_float_field("price", fast=True, indexed=True)
    return b.build()


def ordered_grams(flat: str) -> list[str]:
    """The character bigrams of a normalised text, in order (repeats kept)."""
    return [flat[i : i + 2] for i in range(len(flat) - 1)]


def write_index(path: Path, docs: Iterable[Doc], batch: int = 50_000) -> int:
    """Index ``docs`` into a new index of listing's schema at ``path``."""
    path.mkdir(parents=True, exist_ok=True)
    index = tantivy.Index(schema(), path=str(path), reuse=False)
    writer = index.writer(heap_size=256_000_000)
    n = 0
    for doc in docs:
        flat = normalise(doc.text)
        fields: dict[str, Any] = {
            "id": doc.id,
            "grams": " ".join(ordered_grams(flat)),
            "words": " ".join(segment(flat)),
            "keys": list(doc.keys),
            "sort_date": (doc.sort_date - EPOCH).days,
        }
        if doc.price is not None:
            fields["price"] = float(doc.price)
        writer.add_document(tantivy.Document(**fields))
        n += 1
        if n % batch == 0:
            writer.commit()
    writer.commit()
    writer.wait_merging_threads()
    return n


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
        return [k for k in (normalise(t) for t in self.text.split()) if len(k) >= 2]

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
            grams = ordered_grams(flat)
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


class ServiceEngine:
    """listing's engine in process on an index directory: every call into it is here.

    ``search`` is the API's own relevance code (``listing.search.relevance``): the engine's
    search on a reader of the directory, then the hits' rows from PostgreSQL. ``ids`` is
    the engine's search alone (the labelled set needs no database).

    ``stub`` (forced, or while listing has no engine) answers with the hand-built
    ``design_query`` on the same directory and a plain fetch of the hits' columns, so the
    rest of a benchmark still runs; its figures then say nothing about listing's engine,
    and ``self.stubbed`` says so."""

    def __init__(self, path: Path, pool: asyncpg.Pool | None = None, stub: bool = False) -> None:
        self.stubbed = stub or not engine_available()
        self.pool = pool
        if self.stubbed:
            self._baseline = Baseline(path)
            return
        from listing.search.engine.index import SearchIndex  # type: ignore
        from listing.search.relevance import INDEX, RelevanceSearch  # type: ignore

        find_index(path)  # SearchIndex would create an empty index where none is
        self._index = SearchIndex.open(path, writable=False)
        index = self._index

        class Serving:  # what RelevanceSearch asks of the follower: the serving index
            def index(self, name: str) -> Any:
                assert name == INDEX, name
                return index

        self._relevance = RelevanceSearch(pool, Serving())

    def count(self) -> int:
        """How many documents the reader sees now."""
        if self.stubbed:
            self._baseline.index.reload()
            return int(self._baseline.index.searcher().num_docs)
        self._index.reload()
        return int(self._index.count())

    def ids(self, s: Search, limit: int = 20) -> list[str]:
        if self.stubbed:
            return self._baseline.ids(self._baseline.design_query(s), limit)
        from listing.domain.search import keywords
        from listing.search.engine.index import EngineQuery  # type: ignore

        # The service's own reading of the query (keywords split at spaces and punctuation).
        query = EngineQuery(
            keywords=tuple(k.text for k in keywords(s.text)),
            facets=s.facets,
            price_min=s.price_min,
            price_max=s.price_max,
            limit=limit,
        )
        return [hit.id for hit in self._index.search(query)]

    async def search(self, s: Search) -> list[Any]:
        """A first page of 20 hits, as the API answers it before JSON and HTTP."""
        assert self.pool is not None
        if self.stubbed:
            ids = self.ids(s)
            rows = await self.pool.fetch(_HITS, ids)
            order = {n: i for i, n in enumerate(ids)}
            return sorted(rows, key=lambda r: order[r["application_number"]])
        from listing.domain.search import PatentQuery, keywords

        query = PatentQuery(
            keywords=keywords(s.text), facets=s.facets, price_min=s.price_min, price_max=s.price_max
        )
        return await self._relevance.search(query)  # type: ignore[no-any-return]


def build_index(path: Path, docs: Iterable[Doc], stub: bool = False, batch: int = 20_000) -> Path:
    """An index of ``docs`` written by listing's engine (or by the bench's writer of its
    schema, stubbed); the directory to open it with."""
    if stub or not engine_available():
        write_index(path, docs)
        return path
    from listing.search.engine.index import SearchDocument, SearchIndex  # type: ignore

    index = SearchIndex(path)
    chunk: list[Any] = []
    for doc in docs:
        chunk.append(SearchDocument(doc.id, doc.text, doc.keys, doc.sort_date, doc.price))
        if len(chunk) == batch:
            index.apply(chunk)
            chunk = []
    index.apply(chunk)
    index.close()
    return path


_HITS = f"SELECT {', '.join(HIT_COLUMNS)} FROM patents WHERE application_number = ANY($1::text[])"  # noqa: S608
