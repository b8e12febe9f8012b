"""The matching engine: candidates, the combined score, the top k and their explanations.

Pure and in memory: the use cases load rows, call these functions and save what they
return. A patent's candidates are the seekers of its industry divisions (the index's
inverted lists); every factor is computed for all candidates at once in arrays, the
best ``top_k`` are taken, and only those are explained (each factor's contribution,
the shared terms, the industry links) as :class:`Match` objects.

The full re-match groups the patents of a batch by their industry codes: patents with
the same codes share candidates, industry contributions and feedback, and the
candidates' postings (terms x candidates); each patent's BM25 over the candidates is one
bincount of its terms' postings, and the block of patents is scored as one dense array.
Feed it batches ordered by industry codes and a group's postings are sliced once.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from itertools import islice

import numpy as np

from matching.domain.match import IndustryLink, Match, PatentFacts, Seeker
from matching.domain.scoring import (
    WEIGHTS,
    Meeting,
    Weights,
    feedback_value,
    industry_links,
    industry_meetings,
    links_for,
    patent_contributions,
    region_contribution,
    region_match,
)
from matching.matches.index import NDArray, SeekerIndex, region_numbers
from matching.matches.patents import PatentBatch

TOP_K = 20
BATCH = 20_000
# Dense score blocks of at most this many (patent, candidate) cells.
BLOCK_CELLS = 4_000_000
GROUP_CACHE = 64
# Groups kept on the index for incremental matches (without their postings).
DERIVED_GROUPS = 4096


class _Group:
    """What the patents sharing one set of industry codes share: candidates, their
    industry + feedback contribution, where they are, and their term weights."""

    def __init__(self, codes: Sequence[str], index: SeekerIndex, weights: Weights) -> None:
        self.codes = codes
        self.rows = index.candidates(codes)
        industry = index.industries.industry_scores(codes, index.size, weights)[self.rows]
        self.industry = industry
        self.seeker_part = industry.copy()
        for position in np.flatnonzero(np.isin(self.rows, list(index.affinity_rows))):
            affinity = index.affinity_rows[int(self.rows[position])]
            self.seeker_part[position] += weights.feedback * feedback_value(affinity, codes)
        self._index = index
        self._postings: tuple[list[int], NDArray, NDArray] | None = None
        # Only the candidates of the patent's own province score for region: positions
        # per province and per city, so a patent adds to those alone.
        self.by_province = _positions(index.column("province")[self.rows])
        self.by_city = _positions(index.column("city")[self.rows])
        self.meetings: dict[tuple[str, ...], list[Meeting]] = {}

    @property
    def postings(self) -> tuple[list[int], NDArray, NDArray]:
        """The candidates' term postings (terms x candidates), sliced on first use."""
        if self._postings is None:
            by_term = self._index.weights()[self.rows].T.tocsr()
            self._postings = (by_term.indptr.tolist(), by_term.indices, by_term.data)
        return self._postings

    def meetings_with(self, seeker_codes: tuple[str, ...]) -> list[Meeting]:
        found = self.meetings.get(seeker_codes)
        if found is None:
            found = self.meetings[seeker_codes] = industry_meetings(self.codes, seeker_codes)
        return found

    def add_region(self, scores: NDArray, region: str | None, weights: Weights) -> None:
        province, city = region_numbers(region)
        if province:
            scores[self.by_province.get(province, _NONE)] += weights.region_province
        if city:
            extra = weights.region_city - weights.region_province
            scores[self.by_city.get(city, _NONE)] += extra


_NONE = np.zeros(0, dtype=np.int64)


def _positions(values: NDArray) -> dict[int, NDArray]:
    if len(values) == 0:
        return {}
    order = np.argsort(values, kind="stable")
    keys, starts = np.unique(values[order], return_index=True)
    return {
        int(key): part
        for key, part in zip(keys.tolist(), np.split(order, starts[1:]), strict=True)
        if key
    }


def _bm25_block(
    block: Sequence[PatentFacts], vocabulary: Mapping[str, int], group: _Group
) -> NDArray:
    """Dense patents x candidates BM25: each patent's terms' postings among the
    candidates, added into its row."""
    bm25 = np.zeros((len(block), len(group.rows)), dtype=np.float64)
    indptr, indices, data = group.postings
    for i, patent in enumerate(block):
        spans = [
            (indptr[term], indptr[term + 1])
            for term in {vocabulary[t] for t in patent.tokens if t in vocabulary}
        ]
        spans = [(start, end) for start, end in spans if end > start]
        if spans:
            bm25[i] = np.bincount(
                np.concatenate([indices[start:end] for start, end in spans]),
                weights=np.concatenate([data[start:end] for start, end in spans]),
                minlength=len(group.rows),
            )
    return bm25


def _region_scores(
    province: NDArray, city: NDArray, patent_region: str | None, weights: Weights
) -> NDArray:
    scores = np.zeros(len(province), dtype=np.float64)
    p_province, p_city = region_numbers(patent_region)
    if p_province:
        scores[province == p_province] = weights.region_province
    if p_city:
        scores[city == p_city] = weights.region_city
    return scores


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
        self.links: dict[tuple[str, ...], tuple[IndustryLink, ...]] = {}

    def matches(
        self,
        rows: list[int],
        industry: list[float],
        text: list[float],
        feedback: list[float],
        meetings: Callable[[tuple[str, ...]], list[Meeting]],
    ) -> list[Match]:
        found = []
        patent, weights, base = self.patent, self.weights, self.base
        for row, industry_part, text_part, feedback_part in zip(
            rows, industry, text, feedback, strict=True
        ):
            seeker = self.index.seekers[row]
            region = region_contribution(
                region_match(patent.region_code, seeker.region_code), weights
            )
            links = self.links.get(seeker.industry_codes)
            if links is None:
                links = links_for(meetings(seeker.industry_codes), patent.derivations)
                self.links[seeker.industry_codes] = links
            found.append(
                Match(
                    application_number=patent.application_number,
                    seeker_id=seeker.seeker_id,
                    seeker_kind=seeker.kind,
                    score=industry_part + text_part + region + feedback_part + self.constant,
                    contributions={
                        "industry": industry_part,
                        "text": text_part,
                        "region": region,
                        **base,
                        "feedback": feedback_part,
                    },
                    matched_terms=tuple(filter(self.index.terms(row).__contains__, self.terms)),
                    industry_links=links,
                    weights_version=weights.version,
                )
            )
        return found


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
    rows_per_block = max(1, BLOCK_CELLS // len(group.rows))
    for start in range(0, len(patents), rows_per_block):
        block = patents[start : start + rows_per_block]
        text = _bm25_block(block, vocabulary, group)
        # text * s / (s + saturation), in place: the block is the largest array here.
        saturated = text + weights.text_saturation
        np.divide(text, saturated, out=text)
        text *= weights.text
        np.add(text, group.seeker_part, out=saturated)
        for i, patent in enumerate(block):
            scores = saturated[i]
            group.add_region(scores, patent.region_code, weights)
            top = _top(scores, top_k)
            industry = group.industry[top]
            explainer = _Explainer(patent, index, weights)
            yield (
                patent,
                explainer.matches(
                    group.rows[top].tolist(),
                    industry.tolist(),
                    text[i, top].tolist(),
                    (group.seeker_part[top] - industry).tolist(),
                    group.meetings_with,
                ),
            )


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
    key = (codes, weights.version)
    group = index.derived.get(key)
    if not isinstance(group, _Group):
        if len(index.derived) >= DERIVED_GROUPS:
            index.derived.clear()
        group = index.derived[key] = _Group(codes, index, weights)
    rows = group.rows
    if len(rows) == 0:
        return []
    text = _text_contribution(
        index.text_scores(index.corpus.term_ids(patent.tokens))[rows], weights
    )
    scores = text + group.seeker_part
    group.add_region(scores, patent.region_code, weights)
    top = _top(scores, top_k)
    industry = group.industry[top]
    return _Explainer(patent, index, weights).matches(
        rows[top].tolist(),
        industry.tolist(),
        text[top].tolist(),
        (group.seeker_part[top] - industry).tolist(),
        group.meetings_with,
    )


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
    text = _text_contribution((batch.queries @ vector)[rows].astype(np.float64), weights)
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
