"""Matching benchmark: the engine's full re-match and incremental matches, each beside the
bare BM25 library (bm25s) doing the same scoring with no engine around it, in one run.

    PYTHONPATH=services/matching .venv/bin/python bench/matching.py     # 1,350,000 x 110,000
    PYTHONPATH=services/matching .venv/bin/python bench/matching.py --patents 100000
    PYTHONPATH=services/matching .venv/bin/python bench/matching.py --segmenters  # jieba too

It generates (fixed seeds, bench/matching_synthetic.py) patents and enterprise profiles
with Chinese technical text by industry, segments them once (timed apart: the service
stores the tokens), then compares:
  * full re-match: bm25s's index of the seekers, each patent's query scored over all
    seekers, its candidates (the seekers of its industry divisions, handed to it ready
    made) picked out and the top 20 taken, nothing else; vs the engine's rematch_all
    (every factor, each match explained) over the same patents;
  * one new patent against the seekers loaded: bm25s as above vs match_patent;
  * one new need against its candidate patents (those of its divisions): bm25s's index
    of the patents, the need as query, candidates picked, top 20; vs match_seeker on the
    candidates laid out in columns (PatentBatch, its build timed apart).
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import bm25s
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
# This script's folder holds bench/matching.py, which would shadow the matching package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path[:0] = [str(ROOT), str(ROOT / "services" / "matching")]

from bench.matching_quality import patent_facts  # noqa: E402
from bench.matching_synthetic import SyntheticPatent, enterprises, patents  # noqa: E402
from matching.domain.match import PatentFacts, Seeker, SeekerKind  # noqa: E402
from matching.matches.engine import match_patent, match_seeker, rematch_all  # noqa: E402
from matching.matches.index import SeekerIndex  # noqa: E402
from matching.matches.patents import PatentBatch  # noqa: E402
from matching.matches.ranking import query_terms, segment  # noqa: E402

TOP_K = 20


@dataclass
class Loaded:
    patents: list[PatentFacts]
    seekers: list[Seeker]


def _interned(tokens: tuple[str, ...], seen: dict[str, str]) -> tuple[str, ...]:
    # One string object per distinct term, as a database driver's rows would not give:
    # keeps 1.35 million token lists in memory without a copy of every word.
    return tuple(seen.setdefault(t, t) for t in tokens)


def load(patent_count: int, seeker_count: int) -> Loaded:
    started = time.perf_counter()
    raw_patents = list(patents(patent_count))
    raw_seekers = list(enterprises(seeker_count))
    generated = time.perf_counter() - started
    print(f"generated {patent_count:,} patents, {seeker_count:,} enterprises in {generated:.1f} s")
    started = time.perf_counter()
    seen: dict[str, str] = {}
    facts = []
    for patent in raw_patents:
        fact = patent_facts(patent)
        facts.append(_with_tokens(fact, _interned(fact.tokens, seen)))
    seekers = [
        Seeker(
            e.enterprise_id,
            SeekerKind.PROFILE,
            _interned(segment(e.products, e.technical_needs), seen),
            tuple(e.industry_codes),
            e.region_code,
        )
        for e in raw_seekers
    ]
    took = time.perf_counter() - started
    chars = sum(len(p.title) + len(p.abstract) for p in raw_patents)
    chars += sum(len(e.products) + len(e.technical_needs) for e in raw_seekers)
    print(
        f"segmenting (rjieba, search mode, stopwords): {took:.1f} s for "
        f"{len(facts) + len(seekers):,} texts, {chars / 1e6:.1f} M characters "
        f"({(len(facts) + len(seekers)) / took:,.0f} texts/s)"
    )
    return Loaded(facts, seekers)


def _with_tokens(fact: PatentFacts, tokens: tuple[str, ...]) -> PatentFacts:
    return PatentFacts(**{**fact.__dict__, "tokens": tokens})


def compare_segmenters(count: int = 20_000) -> None:
    import jieba
    import rjieba

    texts = [f"{p.title}{p.abstract}" for p in patents(count, seed=5)]
    jieba.initialize()
    rjieba.cut_for_search("预热")
    timings = {}
    for name, cut in (("jieba", jieba.lcut_for_search), ("rjieba", rjieba.cut_for_search)):
        started = time.perf_counter()
        results = [cut(t) for t in texts]
        timings[name] = (time.perf_counter() - started, results)
    same = sum(a == b for a, b in zip(timings["jieba"][1], timings["rjieba"][1], strict=True))
    print(f"segmenters on {count:,} patent texts (search mode):")
    for name, (took, _) in timings.items():
        print(f"  {name:<7} {took:6.2f} s  {count / took:10,.0f} texts/s")
    print(
        f"  ratio {timings['jieba'][0] / timings['rjieba'][0]:.1f}x; identical {same / count:.2%}"
    )


class Bare:
    """bm25s over the seekers, with each code set's candidates given ready made."""

    def __init__(self, seekers: list[Seeker], candidates: dict[Any, np.ndarray]) -> None:
        self.retriever = bm25s.BM25(method="lucene")
        self.retriever.index([list(s.tokens) for s in seekers], show_progress=False)
        self.candidates = candidates

    def top(self, patent: PatentFacts) -> np.ndarray:
        rows = self.candidates[tuple(sorted(set(patent.industry_codes)))]
        ids = self.retriever.get_tokens_ids(query_terms(patent.tokens))
        if not ids or len(rows) == 0:
            return rows[:TOP_K]
        scores = self.retriever.get_scores_from_ids(ids)[rows]
        if len(rows) > TOP_K:
            picked = np.argpartition(-scores, TOP_K - 1)[:TOP_K]
        else:
            picked = np.arange(len(rows))
        return rows[picked[np.argsort(-scores[picked], kind="stable")]]


def full_rematch(loaded: Loaded, index: SeekerIndex, bare: Bare) -> None:
    started = time.perf_counter()
    for patent in loaded.patents:
        bare.top(patent)
    bare_took = time.perf_counter() - started
    started = time.perf_counter()
    matches = 0
    # As the service's job reads them: ordered by industry codes, so that each group of
    # patents with the same codes comes together (its candidates' matrix built once).
    ordered = sorted(loaded.patents, key=lambda p: sorted(set(p.industry_codes)))
    for _, found in rematch_all(ordered, index, top_k=TOP_K):
        matches += len(found)
    engine_took = time.perf_counter() - started
    count = len(loaded.patents)
    print(f"full re-match, {count:,} patents x {len(index):,} seekers, top {TOP_K}:")
    print(
        f"  bare bm25s (candidates given)  {bare_took:8.1f} s  {count / bare_took:9,.0f} patents/s"
    )
    print(
        f"  engine rematch_all             {engine_took:8.1f} s  {count / engine_took:9,.0f} "
        f"patents/s  ({matches:,} matches explained)"
    )
    print(f"  engine / bare: {engine_took / bare_took:.2f}x")


def _median_ms(runs: list[float]) -> float:
    return statistics.median(runs) * 1000


def incremental(loaded: Loaded, index: SeekerIndex, bare: Bare, runs: int) -> None:
    rng = random.Random(7)
    fresh = [patent_facts(p) for p in _fresh_patents(runs)]
    bare_runs, engine_runs = [], []
    for patent in fresh:
        codes = tuple(sorted(set(patent.industry_codes)))
        bare.candidates.setdefault(codes, index.candidates(codes))
        started = time.perf_counter()
        bare.top(patent)
        bare_runs.append(time.perf_counter() - started)
        started = time.perf_counter()
        match_patent(patent, index, top_k=TOP_K)
        engine_runs.append(time.perf_counter() - started)
    b, e = _median_ms(bare_runs), _median_ms(engine_runs)
    print(f"one new patent against {len(index):,} seekers (median of {runs}):")
    print(
        f"  bare bm25s {b:7.2f} ms   engine match_patent {e:7.2f} ms   engine / bare {e / b:.2f}x"
    )

    started = time.perf_counter()
    patent_index = bm25s.BM25(method="lucene")
    patent_index.index([list(p.tokens) for p in loaded.patents], show_progress=False)
    print(
        f"  (bm25s index of the {len(loaded.patents):,} patents: "
        f"{time.perf_counter() - started:.1f} s)"
    )
    needs = rng.sample(loaded.seekers, min(runs, 50))
    bare_runs, engine_runs, sizes, builds = [], [], [], []
    for seeker in needs:
        need = Seeker(f"N{seeker.seeker_id}", SeekerKind.NEED, seeker.tokens, seeker.industry_codes)
        divisions = {c[:3] for c in need.industry_codes}
        rows = np.asarray(
            [
                i
                for i, p in enumerate(loaded.patents)
                if any(c[:3] in divisions for c in p.industry_codes)
            ]
        )
        candidates = [loaded.patents[i] for i in rows]
        started = time.perf_counter()
        batch = PatentBatch.build(candidates, index)
        builds.append(time.perf_counter() - started)
        sizes.append(len(rows))
        started = time.perf_counter()
        ids = patent_index.get_tokens_ids(query_terms(need.tokens))
        scores = patent_index.get_scores_from_ids(ids)[rows]
        picked = np.argpartition(-scores, TOP_K - 1)[:TOP_K]
        rows[picked[np.argsort(-scores[picked], kind="stable")]]
        bare_runs.append(time.perf_counter() - started)
        started = time.perf_counter()
        match_seeker(need, batch, index, top_k=TOP_K)
        engine_runs.append(time.perf_counter() - started)
    b, e = _median_ms(bare_runs), _median_ms(engine_runs)
    print(
        f"one new need against its candidate patents (median {statistics.median(sizes):,.0f} "
        f"candidates, median of {len(needs)}):"
    )
    print(
        f"  bare bm25s {b:7.2f} ms   engine match_seeker {e:7.2f} ms   engine / bare {e / b:.2f}x"
    )
    print(f"  (laying the candidates out, PatentBatch.build: median {_median_ms(builds):.0f} ms)")


def _fresh_patents(count: int) -> list[SyntheticPatent]:
    return list(patents(count, seed=99))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patents", type=int, default=1_350_000)
    parser.add_argument("--seekers", type=int, default=110_000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--segmenters", action="store_true", help="jieba beside rjieba first")
    args = parser.parse_args()
    if args.segmenters:
        compare_segmenters()
    loaded = load(args.patents, args.seekers)
    started = time.perf_counter()
    index = SeekerIndex.build(loaded.seekers)
    print(f"engine SeekerIndex.build: {time.perf_counter() - started:.1f} s")
    code_sets = {tuple(sorted(set(p.industry_codes))) for p in loaded.patents}
    candidates = {codes: index.candidates(codes) for codes in code_sets}
    started = time.perf_counter()
    bare = Bare(loaded.seekers, candidates)
    print(f"bare bm25s index: {time.perf_counter() - started:.1f} s")
    # As a service process does (shared.runtime.serve): what was loaded is frozen, and the
    # young generation is collected every 50,000 allocations.
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)
    full_rematch(loaded, index, bare)
    incremental(loaded, index, bare, args.runs)


if __name__ == "__main__":
    main()
