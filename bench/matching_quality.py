"""Match quality on a synthetic set with known answers (bench/matching_synthetic.py):
precision at 10 of the engine beside two baselines, industry concordance alone and text
relevance alone.

    PYTHONPATH=services/matching .venv/bin/python bench/matching_quality.py
    PYTHONPATH=services/matching .venv/bin/python bench/matching_quality.py --queries 50

For each chosen patent, the ten enterprises generated from it are the right answers.
  * engine: match_patent (industry candidates, every factor), its first 10;
  * industry alone: every enterprise ranked by the industry level it meets (class >
    group > division), ties in the set's (shuffled) order;
  * text alone: every enterprise ranked by BM25 of the patent's title and abstract
    against its products and needs (the same seekers' BM25 the engine uses).
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
# This script's folder holds bench/matching.py, which would shadow the matching package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path[:0] = [str(ROOT), str(ROOT / "services" / "matching")]

from bench.matching_synthetic import QualitySet, SyntheticPatent, quality_set  # noqa: E402
from matching.domain.match import PatentFacts, Seeker, SeekerKind  # noqa: E402
from matching.domain.scoring import WEIGHTS, Weights  # noqa: E402
from matching.matches.engine import match_patent  # noqa: E402
from matching.matches.index import SeekerIndex  # noqa: E402
from matching.matches.ranking import segment  # noqa: E402

K = 10


@dataclass(frozen=True)
class ConcordanceRow:
    """A derivation as shared.domain.industry gives it (ipc code, key, industry, source)."""

    ipc_code: str
    key: str
    industry_code: str
    source: str


def patent_facts(patent: SyntheticPatent) -> PatentFacts:
    derivations = tuple(
        ConcordanceRow(ipc, ipc.split("/")[0], code, "compiled")
        for ipc, code in zip(patent.ipc_codes, patent.industry_codes, strict=True)
    )
    return PatentFacts(
        application_number=patent.application_number,
        tokens=segment(patent.title, patent.abstract),
        industry_codes=tuple(patent.industry_codes),
        region_code=patent.region_code,
        tier=patent.tier,
        willingness=patent.willingness,
        intended_modes=tuple(patent.intended_modes),
        declared=patent.declared,
        listed=patent.listed,
        derivations=derivations,
    )


def seekers(data: QualitySet) -> list[Seeker]:
    return [
        Seeker(
            seeker_id=e.enterprise_id,
            kind=SeekerKind.PROFILE,
            tokens=segment(e.products, e.technical_needs),
            industry_codes=tuple(e.industry_codes),
            region_code=e.region_code,
        )
        for e in data.enterprises
    ]


def precision(ranked: list[str], relevant: set[str]) -> float:
    return sum(1 for seeker_id in ranked[:K] if seeker_id in relevant) / K


def evaluate(data: QualitySet, weights: Weights = WEIGHTS) -> dict[str, float]:
    """Mean precision at 10 of the engine and of the two baselines."""
    index = SeekerIndex.build(seekers(data))
    ids = [s.seeker_id for s in index.seekers]
    totals = {"engine": 0.0, "industry alone": 0.0, "text alone": 0.0}
    for patent in data.patents:
        facts = patent_facts(patent)
        relevant = data.relevant[patent.application_number]
        engine = [m.seeker_id for m in match_patent(facts, index, top_k=K, weights=weights)]
        totals["engine"] += precision(engine, relevant)
        industry = index.industries.industry_scores(facts.industry_codes, index.size, weights)
        by_industry = np.argsort(-industry, kind="stable")[:K]
        totals["industry alone"] += precision([ids[r] for r in by_industry], relevant)
        text = index.text_scores(index.corpus.term_ids(facts.tokens))
        by_text = np.argsort(-text, kind="stable")[:K]
        totals["text alone"] += precision([ids[r] for r in by_text], relevant)
    return {name: total / len(data.patents) for name, total in totals.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--background", type=int, default=10_000)
    args = parser.parse_args()
    started = time.perf_counter()
    data = quality_set(queries=args.queries, background=args.background)
    figures = evaluate(data)
    print(
        f"matching quality: {len(data.patents)} patents, {len(data.enterprises):,} enterprises "
        f"(10 right answers each; {time.perf_counter() - started:.1f} s)"
    )
    for name, value in figures.items():
        print(f"  precision at {K}, {name:<15} {value:.3f}")
    best = max(figures["industry alone"], figures["text alone"])
    print(f"  engine vs best baseline: {figures['engine'] - best:+.3f}")


if __name__ == "__main__":
    main()
