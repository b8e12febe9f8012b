"""Segmentation and the seekers' BM25 statistics."""

from __future__ import annotations

import bm25s
import numpy as np
import pytest

from matching.matches.ranking import STOPWORDS, SeekerCorpus, query_terms, segment


def test_segmenting_drops_boilerplate_punctuation_and_single_characters() -> None:
    tokens = segment("一种动力电池的热管理装置及方法，所述装置包括液冷板。")
    assert "动力电池" in tokens
    assert "电池" in tokens
    assert not {"一种", "所述", "装置", "方法", "包括", "，", "。", "的"} & set(tokens)
    assert all(len(t) >= 2 for t in tokens)
    assert {"一种", "所述", "方法", "装置", "系统"} <= STOPWORDS


def test_latin_codes_are_terms_and_numbers_are_not() -> None:
    tokens = segment("一种5G基站的LED驱动电路，功率为2000")
    assert "5G" in tokens
    assert "LED" in tokens
    assert "2000" not in tokens


def test_query_terms_count_each_term_once_in_order() -> None:
    assert query_terms(["电池", "正极", "电池"]) == ["电池", "正极"]


TEXTS = [
    segment("锂离子电池正极材料及其制备方法"),
    segment("光伏组件逆变器和汇流箱"),
    segment("锂离子电池管理系统，电池热失控预警"),
    segment("工业机器人减速器"),
]


def test_the_corpus_weights_score_as_bm25s_scores() -> None:
    corpus = SeekerCorpus.build(TEXTS)
    retriever = bm25s.BM25(method="lucene")
    retriever.index([list(t) for t in TEXTS], show_progress=False)
    query = ["锂离子", "电池", "热失控"]
    expected = retriever.get_scores(query)
    ids = corpus.term_ids(query)
    ours = np.asarray(corpus.weights[:, ids].sum(axis=1)).ravel()
    assert ours == pytest.approx(expected, rel=1e-5)
    assert expected[2] > expected[0] > 0 == expected[1]


def test_a_text_weighed_later_gets_the_weights_it_would_have_had_at_build() -> None:
    corpus = SeekerCorpus.build(TEXTS)
    built = corpus.weights[2]
    weighed = corpus.weigh(TEXTS[2])
    assert sorted(weighed) == sorted(built.indices.tolist())
    assert [weighed[c] for c in built.indices.tolist()] == pytest.approx(built.data.tolist())


def test_a_new_term_gets_a_column_and_the_highest_idf() -> None:
    corpus = SeekerCorpus.build(TEXTS)
    before = len(corpus.vocabulary)
    weights = corpus.weigh(segment("钙钛矿叠层电池"))
    assert len(corpus.vocabulary) > before
    column = corpus.vocabulary["钙钛矿"]
    assert corpus.idf[column] == max(corpus.idf)
    assert weights[column] > 0
    assert corpus.weights.shape[1] == len(corpus.vocabulary)
