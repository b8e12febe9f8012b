"""Relevance on a labelled set: nDCG@10 of listing's relevance beside tantivy's BM25 over
the same jieba segmentation (the query's words OR'ed: the standard setup).

    .venv/bin/python bench/relevance.py                      # 30,000 patents, ~1 minute

The corpus is bench/catalogue_data.py's generator, which knows what each patent is about
(field, concept, aspect). Queries are drawn from those topics and graded against them:
  * single: one surface form of a concept (锂离子电池 or 锂电池); a patent about that
    concept is relevant (2), one of the same field a little (1);
  * two: a concept and an aspect (锂电池 检测); the concept with that aspect 2, the
    concept alone 1;
  * synonym: as ``two``, with the concept's and the aspect's other forms (锂电池 for
    锂离子电池, 监测 for 检测) where they have one;
  * noisy: as ``two``, written carelessly: full-width letters, upper or lower case, extra
    and ideographic spaces, a trailing punctuation mark;
  * punctuated: as ``two``, the keywords separated by a punctuation mark (锂电池，检测)
    instead of a space.
A patent that names the concept only in passing (适用于 ... 等场景) is not relevant.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.catalogue_data import ASPECTS, FIELDS, Topic, synthetic  # noqa: E402
from bench.search_index import (  # noqa: E402
    Baseline,
    Doc,
    Search,
    ServiceEngine,
    build_index,
    patent_document,
)

K = 10
SEED = 20261207
KINDS = ("single", "two", "synonym", "noisy", "punctuated")


@dataclass(frozen=True)
class LabelledQuery:
    kind: str
    text: str
    field: int
    concept: int
    aspect: int | None  # None: the query names no aspect

    def grade(self, topic: Topic) -> int:
        if topic.field != self.field:
            return 0
        if self.aspect is None:
            return 2 if topic.concept == self.concept else 1
        if topic.concept != self.concept:
            return 0
        return 2 if topic.aspect == self.aspect else 1


def _full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def _noisy(rng: random.Random, concept: str, aspect: str) -> str:
    concept = rng.choice([concept.lower(), concept.upper(), _full_width(concept)])
    gap = rng.choice(["  ", "\u3000", " \u3000 "])
    return f"{rng.choice(['', ' ', '  '])}{concept}{gap}{aspect}{rng.choice(['？', '!', '。', ''])}"


def queries(per_kind: int, seed: int = SEED) -> list[LabelledQuery]:
    rng = random.Random(seed)
    out: list[LabelledQuery] = []
    for kind in KINDS:
        for _ in range(per_kind):
            f = rng.randrange(len(FIELDS))
            c = rng.randrange(len(FIELDS[f][1]))
            forms = FIELDS[f][1][c]
            a = rng.randrange(len(ASPECTS))
            aspect_words = ASPECTS[a][1]
            if kind == "single":
                out.append(LabelledQuery(kind, rng.choice(forms), f, c, None))
                continue
            if kind == "synonym":
                concept, aspect = forms[-1], aspect_words[-1]
            else:
                concept, aspect = rng.choice(forms), rng.choice(aspect_words)
            if kind == "noisy":
                text = _noisy(rng, concept, aspect)
            elif kind == "punctuated":
                text = f"{concept}{rng.choice(['，', ',', '、', '；'])}{aspect}"
            else:
                text = f"{concept} {aspect}"
            out.append(LabelledQuery(kind, text, f, c, a))
    return out


def ndcg(ranked: list[int], ideal_counts: Counter[int]) -> float:
    """nDCG@K with gains 2^grade - 1; ``ideal_counts``: how many patents have each grade."""
    ideal = sorted(ideal_counts.elements(), reverse=True)[:K]
    best = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    got = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ranked[:K]))
    return got / best if best else 0.0


@dataclass
class Figures:
    per_kind: dict[str, dict[str, float]]  # kind -> system -> mean nDCG@10
    overall: dict[str, float]
    patents: int
    queries: int
    build_s: float


def evaluate(patents: int, per_kind: int) -> Figures:
    topics: dict[str, Topic] = {}
    docs = []
    for patent, topic in synthetic(patents, seed=SEED):
        topics[patent["application_number"]] = topic
        docs.append(patent_document(patent))
    with tempfile.TemporaryDirectory(prefix="ipmarket-relevance-") as work:
        return _evaluate(Path(work), topics, docs, per_kind)


def _evaluate(work: Path, topics: dict[str, Topic], docs: list[Doc], per_kind: int) -> Figures:
    start = time.perf_counter()
    index = build_index(work / "index", docs)
    build_s = time.perf_counter() - start
    baseline = Baseline(index)
    engine = ServiceEngine(index)
    systems: dict[str, Callable[[Search], list[str]]] = {
        "ours": lambda s: engine.ids(s, K),
        "tantivy BM25": lambda s: baseline.ids(baseline.bm25_query(s), K),
    }
    labelled = queries(per_kind)
    scores: dict[str, dict[str, list[float]]] = {k: {n: [] for n in systems} for k in KINDS}
    for q in labelled:
        counts = Counter(q.grade(t) for t in topics.values())
        for name, run in systems.items():
            ranked = [q.grade(topics[i]) for i in run(Search(q.text))]
            scores[q.kind][name].append(ndcg(ranked, counts))
    per = {k: {n: sum(v) / len(v) for n, v in by.items()} for k, by in scores.items()}
    overall = {n: sum(per[k][n] for k in KINDS) / len(KINDS) for n in systems}
    return Figures(per, overall, len(docs), len(labelled), build_s)


def print_figures(figures: Figures, row: Callable[..., None]) -> None:
    print(
        f"\nrelevance: nDCG@10 on {figures.patents:,} labelled patents, {figures.queries} "
        f"queries (index built in {figures.build_s:.0f} s)"
    )
    for kind in (*KINDS, "all"):
        by = figures.overall if kind == "all" else figures.per_kind[kind]
        ours, base = by["ours"], by["tantivy BM25"]
        row(
            f"nDCG@10 {kind} queries",
            f"{ours:.3f}",
            f"{base:.3f}",
            f"{ours / base:.2f}x" if base else "",
            "ours no worse than tantivy BM25",
        )


def _row(label: str, ours: str, baseline: str, ratio: str, target: str) -> None:
    print(f"{label:<42}{ours:>20}{baseline:>20}{ratio:>8}   {target}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patents", type=int, default=30_000)
    parser.add_argument("--queries", type=int, default=40, help="per kind of query")
    args = parser.parse_args()
    _row("measure", "ours", "tantivy BM25", "ratio", "target")
    print_figures(evaluate(args.patents, args.queries), _row)
