"""The search benchmarks' own instruments: the hand-built tantivy query must select what
listing's relevance selects (every keyword a substring, every facet group met), and
nDCG must rank rankings the right way round; otherwise their figures mean nothing."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from bench.catalogue_data import FILTER_KEYS, patents
from bench.relevance import ndcg
from bench.search_index import Baseline, Search, build_index, patent_document
from listing.domain.search import normalise

CORPUS = 3_000


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> Baseline:
    root: Path = tmp_path_factory.mktemp("bench-index")
    build_index(root / "index", (patent_document(p) for p in patents(CORPUS)))
    return Baseline(root)


@pytest.mark.parametrize("text", ["电池", "锂离子", "光伏组件", "锂电池 检测", "ＢＭＳ  控制！"])
@pytest.mark.parametrize("facets", [(), FILTER_KEYS])
def test_the_hand_built_query_finds_exactly_the_patents_holding_every_keyword(
    baseline: Baseline, text: str, facets: tuple[frozenset[str], ...]
) -> None:
    search = Search(text, facets)
    expected = {
        p["application_number"]
        for p in patents(CORPUS)
        if all(k in normalise(p["title"] + p["abstract"]) for k in search.flat_keywords())
        and (not facets or (p["ipc_codes"][0].startswith("H01M") and p["region_code"][:2] == "44"))
    }
    assert expected
    assert set(baseline.ids(baseline.design_query(search), limit=CORPUS)) == expected


def test_bm25_ranks_the_patents_naming_the_words_most_first(baseline: Baseline) -> None:
    ids = baseline.ids(baseline.bm25_query(Search("光伏逆变器")), limit=5)
    titles = {p["application_number"]: p["title"] for p in patents(CORPUS)}
    assert all("逆变器" in titles[i] for i in ids)


def test_ndcg_is_one_for_the_ideal_ranking_and_less_for_a_worse_one() -> None:
    counts = Counter({2: 3, 1: 5, 0: 100})
    assert ndcg([2, 2, 2, 1, 1, 1, 1, 1, 0, 0], counts) == pytest.approx(1.0)
    assert ndcg([1, 2, 2, 2, 1, 1, 1, 1, 0, 0], counts) < 1.0
    assert ndcg([0] * 10, counts) == 0.0
