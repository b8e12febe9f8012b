"""A small instance of the synthetic quality set (bench/matching_quality.py): the engine
must beat industry concordance alone and text relevance alone on precision at 10."""

from __future__ import annotations

from bench.matching_quality import evaluate
from bench.matching_synthetic import quality_set


def test_the_engine_beats_both_baselines_on_a_small_synthetic_set() -> None:
    figures = evaluate(quality_set(queries=30, background=2_000, seed=11))
    assert figures["engine"] > figures["text alone"]
    assert figures["engine"] > figures["industry alone"]
    assert figures["engine"] >= 0.7
