"""The relevance engine without infrastructure: exact substring candidates, BM25 order,
filters, replacement and deletion, the watermark, a reader of another writer's index,
and the refusal while an index is being built."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from listing.domain.search import normalise
from listing.search.engine.follower import SearchFollower, SearchIndexBuilding
from listing.search.engine.index import (
    EngineQuery,
    SearchDocument,
    SearchIndex,
    Watermark,
)
from listing.search.engine.segment import words
from listing.search.sources import SOURCES
from shared.http.problems import install_problem_handlers

DAY = date(2020, 1, 1)


def doc(
    doc_id: str, text: str, keys: tuple[str, ...] = (), day: date = DAY, price: str | None = None
) -> SearchDocument:
    return SearchDocument(doc_id, text, keys, day, None if price is None else Decimal(price))


def ids(index: SearchIndex, **query: object) -> list[str]:
    return [h.id for h in index.search(EngineQuery(**query))]  # type: ignore[arg-type]


def test_candidates_are_exactly_the_texts_holding_every_keyword(tmp_path: Path) -> None:
    rng = random.Random(21)
    alphabet = "电池锂离子检测芯片光伏合金高熵"
    texts = {f"d{i}": "".join(rng.choices(alphabet, k=rng.randint(2, 30))) for i in range(300)}
    index = SearchIndex(tmp_path / "i")
    index.apply(doc(i, t) for i, t in texts.items())
    for _ in range(60):
        keyword = "".join(rng.choices(alphabet, k=rng.randint(2, 4)))
        expected = {i for i, t in texts.items() if keyword in t}
        assert set(ids(index, keywords=(keyword,), limit=300)) == expected, keyword


def test_bm25_orders_by_frequency_and_length(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / "i")
    index.apply(
        [
            doc("once", "锂电池检测装置的健康状态"),
            doc("thrice", "锂电池检测锂电池的锂电池"),
            doc("long", "锂电池检测装置的健康状态以及壳体支架底座电路板显示屏控制模块"),
            doc("none", "电池检测装置"),
        ]
    )
    hits = index.search(EngineQuery(keywords=("锂电池",)))
    assert [h.id for h in hits] == ["thrice", "once", "long"]
    assert hits[0].matched_terms == ("锂电池", "锂电", "电池")
    assert ids(index, keywords=("锂电池", "健康")) == ["once", "long"]


def test_filters_prices_exclusions_and_newest(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / "i")
    index.apply(
        [
            doc("a", "电池甲", ("ipc:H01M", "region:44"), date(2021, 1, 1), "100"),
            doc("b", "电池乙", ("ipc:H01M", "unexploited:1"), date(2022, 1, 1), "5"),
            doc("c", "电池丙", ("region:11",), date(2020, 1, 1)),
        ]
    )
    both = frozenset({"region:44", "region:11"})
    assert set(ids(index, keywords=("电池",), facets=(both,))) == {"a", "c"}
    assert ids(index, keywords=("电池",), facets=(frozenset({"ipc:H01M"}), both)) == ["a"]
    assert set(ids(index, keywords=("电池",), excluded=frozenset({"unexploited:1"}))) == {"a", "c"}
    assert ids(index, keywords=("电池",), price_min=Decimal(10)) == ["a"]
    assert ids(index, keywords=("电池",), price_max=Decimal(10)) == ["b"]
    assert ids(index, order="newest") == ["b", "a", "c"]
    assert ids(index, order="newest", offset=1, limit=1) == ["a"]
    assert ids(index, order="newest", offset=10_000) == []


def test_a_document_is_replaced_and_deleted_and_a_batch_applies_twice_alike(
    tmp_path: Path,
) -> None:
    index = SearchIndex(tmp_path / "i")
    batch = [doc("a", "电池"), doc("b", "芯片")]
    index.apply(batch, watermark=Watermark(7, "b"))
    index.apply(batch, watermark=Watermark(7, "b"))  # a crash before the watermark: again
    assert index.count() == 2
    index.apply([doc("a", "芯片")], deletes=["b"], watermark=Watermark(9, "a"))
    assert ids(index, keywords=("芯片",)) == ["a"]
    assert ids(index, keywords=("电池",)) == []
    assert index.watermark() == Watermark(9, "a")
    reader = SearchIndex.open(tmp_path / "i")  # as a benchmark in another process would
    assert reader.count() == 1
    index.apply([doc("c", "芯片")])
    reader.reload()
    assert reader.count() == 2


def test_the_index_and_the_query_are_cut_alike() -> None:
    text = normalise("一种锂离子电池健康状态在线检测方法")
    assert {"锂离子", "离子", "电池", "检测"} <= set(words(text))
    assert all(len(w) > 1 for w in words(text))


def test_searches_wait_until_the_index_has_caught_up(tmp_path: Path) -> None:
    follower = SearchFollower("postgresql://unused", SOURCES, tmp_path)
    with pytest.raises(SearchIndexBuilding) as refused:
        follower.index("patents")
    assert refused.value.status == 503
    assert refused.value.extensions["retry_after"] == follower.retry_after_s


async def test_the_refusal_is_a_503_problem_with_retry_after() -> None:
    app = FastAPI()
    install_problem_handlers(app)

    @app.get("/search")
    async def building() -> None:
        raise SearchIndexBuilding("the patents index is catching up", retry_after=5)

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        response = await client.get("/search")
    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"
    assert response.json()["type"].endswith("/search-index-building")
