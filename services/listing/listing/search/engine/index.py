"""A relevance index of one kind of listing: tantivy, in process, over a directory.

Each document is a listing's text and filterable facts (:class:`SearchDocument`). The
text is normalised (``listing.domain.search.normalise``) and indexed twice:

- ``grams``: its character bigrams in order, with positions. A keyword is the phrase of
  its bigrams, which matches exactly when the keyword is a substring of the text (so a
  two-character keyword finds every text that contains it), and the phrase's BM25 is the
  substring term of the score.
- ``words``: its words as jieba cuts them (:mod:`.segment`): the query's words score by
  BM25 here, so a text about the query's words outranks one that merely contains them.

``keys`` holds the facet keys exactly as ``listing.domain.search.facet_keys`` makes them;
filters score nothing. The follower (:mod:`.follower`) is an index's only writer; any
number of readers, in this process or another (``SearchIndex.open``), see each commit.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import tantivy

from listing.domain.search import normalise
from listing.search.engine.segment import words

# Changing the schema or what documents hold: bump it, and every index is rebuilt.
SCHEMA_VERSION = 2
# Deep offsets cost the engine as much as reading every hit before them.
MAX_REACHABLE = 10_000
WATERMARK = "watermark.json"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class SearchDocument:
    """One listing as the index holds it; ``text`` is title and abstract (or description)."""

    id: str
    text: str
    keys: tuple[str, ...]
    # What "newest" orders by: a patent's filing date, a listing's publication time.
    sort_date: date | datetime
    price: Decimal | None = None


@dataclass(frozen=True)
class EngineQuery:
    """``keywords``: normalised, each must occur as a substring; ``facets``: every group
    must match (any key of a group); ``excluded``: keys a hit must not have."""

    keywords: tuple[str, ...] = ()
    facets: tuple[frozenset[str], ...] = ()
    excluded: frozenset[str] = frozenset()
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    order: str = "relevance"  # or "newest": sort_date, newest first
    offset: int = 0
    limit: int = 20


@dataclass(frozen=True)
class EngineHit:
    """A hit: its id, its score and the query's terms it contains (for highlighting)."""

    id: str
    score: float
    matched_terms: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class Watermark:
    """How far into its table's committed changes an index is: the last row applied."""

    xid: int = 0
    key: str = ""
    version: int = SCHEMA_VERSION


def schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("grams", tokenizer_name="whitespace", index_option="position")
    builder.add_text_field("words", stored=True, tokenizer_name="whitespace", index_option="freq")
    builder.add_text_field("keys", tokenizer_name="raw", index_option="basic")
    builder.add_integer_field("sort_date", fast=True)
    builder.add_float_field("price", indexed=True, fast=True)
    return builder.build()


def keyword_grams(keyword: str) -> list[str]:
    """The bigrams of a normalised keyword in order (a phrase in ``grams``)."""
    return [keyword[i : i + 2] for i in range(len(keyword) - 1)]


class SearchIndex:
    """One index directory: :meth:`apply` writes (the follower), :meth:`search` reads."""

    def __init__(self, path: Path, *, writable: bool = True) -> None:
        self.path = path
        self.schema = schema()
        path.mkdir(parents=True, exist_ok=True)
        self.index = tantivy.Index(self.schema, path=str(path), reuse=True)
        # One writer per directory (tantivy locks it); a single indexing thread leaves the
        # cores to the requests.
        self._writer = self.index.writer(heap_size=64_000_000, num_threads=1) if writable else None

    @classmethod
    def open(cls, path: Path, *, writable: bool = False) -> SearchIndex:
        """The index at ``path``, or the one a follower's directory serves now (its
        ``CURRENT``): a reader of an index another process writes by default."""
        current = path / CURRENT
        if current.exists():
            path = path / current.read_text().strip()
        return cls(path, writable=writable)

    # -- writing -------------------------------------------------------------------------

    def apply(
        self,
        upserts: Iterable[SearchDocument],
        deletes: Iterable[str] = (),
        watermark: Watermark | None = None,
    ) -> None:
        """Replace the documents of ``upserts``, remove ``deletes``, commit, and then record
        ``watermark``: a crash between the two applies the batch again, which changes
        nothing."""
        assert self._writer is not None, "a read-only index"
        for doc_id in deletes:
            self._writer.delete_documents_by_term("id", doc_id)
        for doc in upserts:
            self._writer.delete_documents_by_term("id", doc.id)
            self._writer.add_document(self._document(doc))
        self._writer.commit()
        self.index.reload()
        if watermark is not None:
            self._write_watermark(watermark)

    def _document(self, doc: SearchDocument) -> tantivy.Document:
        flat = normalise(doc.text)
        fields: dict[str, Any] = {
            "id": doc.id,
            "grams": " ".join(keyword_grams(flat)),
            "words": " ".join(words(flat)),
            "keys": list(doc.keys),
            "sort_date": _microseconds(doc.sort_date),
        }
        if doc.price is not None:
            fields["price"] = float(doc.price)
        return tantivy.Document(**fields)

    def watermark(self) -> Watermark:
        """The last change applied (nothing applied: the start of the table); an index of
        another schema version reads as empty."""
        try:
            raw = json.loads((self.path / WATERMARK).read_text())
            return Watermark(int(raw["xid"]), str(raw["key"]), int(raw["version"]))
        except (OSError, ValueError, KeyError):
            return Watermark()

    def _write_watermark(self, mark: Watermark) -> None:
        written = self.path / f"{WATERMARK}.new"
        written.write_text(json.dumps({"version": mark.version, "xid": mark.xid, "key": mark.key}))
        os.replace(written, self.path / WATERMARK)

    def clear(self) -> None:
        """Remove every document (an index of an older schema version)."""
        assert self._writer is not None, "a read-only index"
        self._writer.delete_all_documents()
        self._writer.commit()
        self.index.reload()
        with contextlib.suppress(FileNotFoundError):
            (self.path / WATERMARK).unlink()

    def close(self) -> None:
        """Let go of the directory's writer lock."""
        if self._writer is not None:
            self._writer.wait_merging_threads()
            self._writer = None

    # -- reading -------------------------------------------------------------------------

    def reload(self) -> None:
        """See the last commit (for a reader of an index another process writes)."""
        self.index.reload()

    def count(self) -> int:
        return int(self.index.searcher().num_docs)

    def search(self, query: EngineQuery) -> list[EngineHit]:
        """The hits of ``query`` in its order, ``query.offset`` of them skipped."""
        words_wanted = self._query_words(query.keywords)
        searcher = self.index.searcher()
        limit = max(0, min(query.limit, MAX_REACHABLE - query.offset))
        if limit == 0:
            return []
        compiled = self._compile(query, words_wanted)
        if query.order == "newest":
            found = searcher.search(
                compiled,
                limit,
                count=False,
                order_by_field="sort_date",
                offset=query.offset,
                order=tantivy.Order.Desc,
            )
        else:
            found = searcher.search(compiled, limit, count=False, offset=query.offset)
        hits = []
        for order_key, address in found.hits:
            # Sorted by date, the order key is the date or time, not a score.
            score = 0.0 if query.order == "newest" else float(order_key)
            doc = searcher.doc(address)
            present = set(str(doc.get_first("words") or "").split())
            matched = (*query.keywords, *(w for w in words_wanted if w in present))
            hits.append(EngineHit(str(doc.get_first("id")), score, _distinct(matched)))
        return hits

    @staticmethod
    def _query_words(keywords: Sequence[str]) -> list[str]:
        return list(_distinct(w for keyword in keywords for w in words(keyword)))

    def _compile(self, query: EngineQuery, query_words: Sequence[str]) -> tantivy.Query:
        must, should, must_not = tantivy.Occur.Must, tantivy.Occur.Should, tantivy.Occur.MustNot
        clauses: list[tuple[tantivy.Occur, tantivy.Query]] = []
        for keyword in query.keywords:
            clauses.append((must, self._substring(keyword)))
        for word in query_words:
            clauses.append((should, tantivy.Query.term_query(self.schema, "words", word)))
        for group in query.facets:
            clauses.append((must, tantivy.Query.const_score_query(self._any_key(group), 0.0)))
        for key in sorted(query.excluded):
            clauses.append((must_not, tantivy.Query.term_query(self.schema, "keys", key)))
        if query.price_min is not None or query.price_max is not None:
            price = tantivy.Query.range_query(
                self.schema,
                "price",
                tantivy.FieldType.Float,
                None if query.price_min is None else float(query.price_min),
                None if query.price_max is None else float(query.price_max),
            )
            clauses.append((must, tantivy.Query.const_score_query(price, 0.0)))
        if not any(occur == must for occur, _ in clauses):
            clauses.append((must, tantivy.Query.const_score_query(tantivy.Query.all_query(), 0.0)))
        return tantivy.Query.boolean_query(clauses)

    def _substring(self, keyword: str) -> tantivy.Query:
        grams: list[str | tuple[int, str]] = list(keyword_grams(keyword))
        if len(grams) == 1:
            return tantivy.Query.term_query(self.schema, "grams", keyword)
        return tantivy.Query.phrase_query(self.schema, "grams", grams)

    def _any_key(self, group: frozenset[str]) -> tantivy.Query:
        keys = sorted(group)
        if len(keys) == 1:
            return tantivy.Query.term_query(self.schema, "keys", keys[0])
        return tantivy.Query.term_set_query(self.schema, "keys", keys)


# The file in a follower's directory naming the index it serves (swapped by rename).
CURRENT = "CURRENT"


def _microseconds(moment: date | datetime) -> int:
    """Since the epoch; a date counts from its midnight (UTC: only the order matters)."""
    if not isinstance(moment, datetime):
        moment = datetime(moment.year, moment.month, moment.day, tzinfo=UTC)
    return (moment - _EPOCH) // timedelta(microseconds=1)


def _distinct(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))
