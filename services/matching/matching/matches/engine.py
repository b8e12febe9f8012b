"""The matching engine: candidates, the combined score, the top k and their explanations.

Pure and in memory: the use cases load rows, call these functions and save what they
return. A patent's candidates are the seekers of its industry divisions (the index's
inverted lists); every factor is computed for all candidates at once in arrays, the
best ``top_k`` are taken, and only those are explained (each factor's contribution,
the shared terms, the industry links) as :class:`Match` objects.

The full re-match groups the patents of a batch by their industry codes: patents with
the same codes share candidates, industry contributions and feedback, so their text
scores are one sparse product (patents x terms by terms x candidates). Feed it batches
ordered by industry codes and the groups' matrices are reused from batch to batch.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import islice
from typing import Any

import numpy as np
import scipy.sparse as sp

from matching.domain.match import IndustryLink, Match, PatentFacts, Seeker
from matching.domain.scoring import (
    WEIGHTS,
    Weights,
    feedback_value,
    industry_links,
    patent_contributions,
)
from matching.matches.index import NDArray, SeekerIndex, region_numbers
from matching.matches.patents import PatentBatch

TOP_K = 20
BATCH = 20_000
# Dense score blocks of at most this many (patent, candidate) cells.
BLOCK_CELLS = 4_000_000
GROUP_CACHE = 256


class _Group:
    """What the patents sharing one set of industry codes share: candidates, their
    industry + feedback contribution, regions, and the candidates' term weights."""

    def __init__(self, codes: Sequence[str], index: SeekerIndex, weights: Weights) -> None:
        self.codes = codes
        self.rows = index.candidates(codes)
        seeker_part = index.industries.industry_scores(codes, index.size, weights)[self.rows]
        for position in np.flatnonzero(np.isin(self.rows, list(index.affinity_rows))):
            affinity = index.affinity_rows[int(self.rows[position])]
            seeker_part[position] += weights.feedback * feedback_value(affinity, codes)
        self.seeker_part = seeker_part.astype(np.float64)
        self.province = index.column("province")[self.rows]
        self.city = index.column("city")[self.rows]
        self.term_weights = index.weights()[self.rows].T.tocsr()
        self.links: dict[int, tuple[IndustryLink, ...]] = {}


def _region_scores(
    province: NDArray, city: NDArray, patent_region: str | None, weights: Weights
) -> NDArray:
    p_province, p_city = region_numbers(patent_region)
    if not p_province:
        return np.zeros(len(province), dtype=np.float64)
    same_city = (city == p_city) & (p_city != 0)
    return np.where(
        same_city,
        weights.region_city,
        np.where(province == p_province, weights.region_province, 0.0),
    )


def _text_contribution(bm25: NDArray, weights: Weights) -> NDArray:
    return weights.text * bm25 / (bm25 + weights.text_saturation)


def _top(scores: NDArray, k: int) -> NDArray:
    """Positions of the k best scores (ties by position), best first."""
    picked = np.argpartition(-scores, k - 1)[:k] if len(scores) > k else np.arange(len(scores))
    return picked[np.lexsort((picked, -scores[picked]))]


class _Explainer:
    """Builds the Match objects of one patent's top k."""

    def __init__(self, patent: PatentFacts, index: SeekerIndex, weights: Weights) -> None:
        self.patent = patent
        self.index = index
        self.weights = weights
        self.base = patent_contributions(patent, weights)
        self.constant = sum(self.base.values())
        self.terms = list(dict.fromkeys(patent.tokens))

    def match(
        self,
        row: int,
        industry: float,
        text: float,
        region: float,
        feedback: float,
        links: tuple[IndustryLink, ...],
    ) -> Match:
        seeker = self.index.seekers[row]
        seeker_terms = self.index.terms(row)
        contributions = {
            "industry": industry,
            "text": text,
            "region": region,
            **self.base,
            "feedback": feedback,
        }
        return Match(
            application_number=self.patent.application_number,
            seeker_id=seeker.seeker_id,
            seeker_kind=seeker.kind,
            score=industry + text + region + feedback + self.constant,
            contributions=contributions,
            matched_terms=tuple(t for t in self.terms if t in seeker_terms),
            industry_links=links,
            weights_version=self.weights.version,
        )


def _links(group: _Group, patent: PatentFacts, index: SeekerIndex, row: int) -> Any:
    links = group.links.get(row) if not patent.derivations else None
    if links is None:
        links = industry_links(
            patent.industry_codes, patent.derivations, index.seekers[row].industry_codes
        )
        if not patent.derivations:
            group.links[row] = links
    return links


def _match_group(
    patents: Sequence[PatentFacts],
    group: _Group,
    index: SeekerIndex,
    top_k: int,
    weights: Weights,
) -> Iterator[tuple[PatentFacts, list[Match]]]:
    if len(group.rows) == 0:
        for patent in patents:
            yield patent, []
        return
    vocabulary = index.corpus.vocabulary
    industry_part = index.industries.industry_scores(group.codes, index.size, weights)[group.rows]
    rows_per_block = max(1, BLOCK_CELLS // len(group.rows))
    for start in range(0, len(patents), rows_per_block):
        block = patents[start : start + rows_per_block]
        queries = _query_matrix(block, vocabulary)
        bm25 = (queries @ group.term_weights).toarray().astype(np.float64)
        text = _text_contribution(bm25, weights)
        scores = text + group.seeker_part
        regions = [
            _region_scores(group.province, group.city, p.region_code, weights) for p in block
        ]
        scores += np.vstack(regions)
        for i, patent in enumerate(block):
            explainer = _Explainer(patent, index, weights)
            matches = []
            for position in _top(scores[i], top_k).tolist():
                row = int(group.rows[position])
                industry = float(industry_part[position])
                matches.append(
                    explainer.match(
                        row,
                        industry,
                        float(text[i, position]),
                        float(regions[i][position]),
                        float(group.seeker_part[position]) - industry,
                        _links(group, patent, index, row),
                    )
                )
            yield patent, matches


def _query_matrix(patents: Sequence[PatentFacts], vocabulary: Mapping[str, int]) -> sp.csr_matrix:
    """Patents x terms, 1 for each distinct known term of a patent."""
    indptr = [0]
    indices: list[int] = []
    for patent in patents:
        ids = {vocabulary[t] for t in patent.tokens if t in vocabulary}
        indices.extend(ids)
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.float32)
    return sp.csr_matrix((data, indices, indptr), shape=(len(patents), len(vocabulary)))


def rematch_all(
    patents: Iterable[PatentFacts],
    index: SeekerIndex,
    top_k: int = TOP_K,
    weights: Weights = WEIGHTS,
    batch_size: int = BATCH,
) -> Iterator[tuple[PatentFacts, list[Match]]]:
    """Every patent's best ``top_k`` seekers, batch by batch (order within a batch
    follows its industry groups)."""
    groups: OrderedDict[tuple[str, ...], _Group] = OrderedDict()
    iterator = iter(patents)
    index.weights()  # settle pending rows before groups slice the matrix
    while batch := list(islice(iterator, batch_size)):
        by_codes: dict[tuple[str, ...], list[PatentFacts]] = {}
        for patent in batch:
            by_codes.setdefault(tuple(sorted(set(patent.industry_codes))), []).append(patent)
        for codes, members in by_codes.items():
            group = groups.get(codes)
            if group is None:
                group = groups[codes] = _Group(codes, index, weights)
                if len(groups) > GROUP_CACHE:
                    groups.popitem(last=False)
            else:
                groups.move_to_end(codes)
            yield from _match_group(members, group, index, top_k, weights)


def match_patent(
    patent: PatentFacts, index: SeekerIndex, top_k: int = TOP_K, weights: Weights = WEIGHTS
) -> list[Match]:
    """One patent's best ``top_k`` seekers among those of its industry divisions."""
    codes = tuple(sorted(set(patent.industry_codes)))
    rows = index.candidates(codes)
    if len(rows) == 0:
        return []
    term_ids = index.corpus.term_ids(patent.tokens)
    text = _text_contribution(index.text_scores(term_ids)[rows], weights)
    industry = index.industries.industry_scores(codes, index.size, weights)[rows]
    feedback = np.zeros(len(rows), dtype=np.float64)
    for position in np.flatnonzero(np.isin(rows, list(index.affinity_rows))):
        affinity = index.affinity_rows[int(rows[position])]
        feedback[position] = weights.feedback * feedback_value(affinity, codes)
    province, city = index.column("province")[rows], index.column("city")[rows]
    region = _region_scores(province, city, patent.region_code, weights)
    scores = text + industry + region + feedback
    explainer = _Explainer(patent, index, weights)
    matches = []
    for position in _top(scores, top_k).tolist():
        row = int(rows[position])
        links = industry_links(codes, patent.derivations, index.seekers[row].industry_codes)
        matches.append(
            explainer.match(
                row,
                float(industry[position]),
                float(text[position]),
                float(region[position]),
                float(feedback[position]),
                links,
            )
        )
    return matches


def match_seeker(
    seeker: Seeker,
    patents: Sequence[PatentFacts] | PatentBatch,
    index: SeekerIndex,
    top_k: int = TOP_K,
    weights: Weights = WEIGHTS,
) -> list[Match]:
    """A seeker's best ``top_k`` patents among ``patents`` (its candidates, loaded by
    the caller) that share an industry division with it. Text relevance uses the
    seekers' BM25 statistics, so each pair scores as :func:`match_patent` scores it."""
    term_weights = index.seeker_weights(seeker)
    batch = patents if isinstance(patents, PatentBatch) else PatentBatch.build(patents, index)
    rows = batch.candidates(seeker.industry_codes)
    if len(rows) == 0:
        return []
    vector = np.zeros(batch.columns, dtype=np.float32)
    for column, weight in term_weights.items():
        if column < batch.columns:
            vector[column] = weight
    text = _text_contribution((batch.queries[rows] @ vector).astype(np.float64), weights)
    industry = batch.industries.industry_scores(seeker.industry_codes, len(batch), weights)[rows]
    region = _region_scores(batch.province[rows], batch.city[rows], seeker.region_code, weights)
    feedback = np.zeros(len(rows), dtype=np.float64)
    if seeker.affinity:
        for position, row in enumerate(rows.tolist()):
            codes = batch.patents[row].industry_codes
            feedback[position] = weights.feedback * feedback_value(seeker.affinity, codes)
    scores = text + industry + region + feedback + batch.constant[rows]
    terms = frozenset(seeker.tokens)
    matches = []
    for position in _top(scores, top_k).tolist():
        patent = batch.patents[int(rows[position])]
        contributions = {
            "industry": float(industry[position]),
            "text": float(text[position]),
            "region": float(region[position]),
            **patent_contributions(patent, weights),
            "feedback": float(feedback[position]),
        }
        matches.append(
            Match(
                application_number=patent.application_number,
                seeker_id=seeker.seeker_id,
                seeker_kind=seeker.kind,
                score=float(scores[position]),
                contributions=contributions,
                matched_terms=tuple(t for t in dict.fromkeys(patent.tokens) if t in terms),
                industry_links=industry_links(
                    patent.industry_codes, patent.derivations, seeker.industry_codes
                ),
                weights_version=weights.version,
            )
        )
    return matches
