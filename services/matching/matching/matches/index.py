"""The seekers held in memory for matching, in columns the engine scores in bulk.

Industry codes go into an inverted index from every prefix level of each code (division
``C38``, group ``C384``, class ``C3841``) to the rows that have it, so a patent's
candidates (the seekers of its divisions) and their industry level are a few array
look-ups. Rows are appended; a removed or replaced seeker's row is marked dead and left
in place until the next :meth:`SeekerIndex.build`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp

from matching.domain.match import Seeker, SeekerKind
from matching.domain.scoring import WEIGHTS, Weights
from matching.matches.ranking import SeekerCorpus

NDArray = np.ndarray[Any, Any]

# Candidate row arrays kept, one per set of divisions patents come with.
CANDIDATE_SETS = 4096


def code_keys(code: str) -> list[str]:
    """The prefixes of a code at each level it has: ``C3841`` -> C38, C384, C3841."""
    return [code[:n] for n in (3, 4, 5) if len(code) >= n]


def region_numbers(region: str | None) -> tuple[int, int]:
    """(province, city) as integers for vectorised comparison; 0 when unknown, and no
    city for a province-level code."""
    if not region or len(region) < 4 or not region[:4].isdigit():
        return 0, 0
    city = int(region[:4]) if region[2:4] != "00" else 0
    return int(region[:2]), city


class IndustryPostings:
    """Inverted index: industry code prefix -> rows holding a code with that prefix."""

    def __init__(self) -> None:
        self._lists: dict[str, list[int]] = {}
        self._arrays: dict[str, NDArray] = {}

    def add(self, row: int, codes: Iterable[str]) -> None:
        for key in {k for code in codes for k in code_keys(code)}:
            self._lists.setdefault(key, []).append(row)
            self._arrays.pop(key, None)

    def freeze(self) -> None:
        """Build every key's array now rather than at its first look-up."""
        for key in self._lists:
            self.rows(key)

    def rows(self, key: str) -> NDArray:
        found = self._arrays.get(key)
        if found is None:
            found = np.asarray(self._lists.get(key, ()), dtype=np.int64)
            self._arrays[key] = found
        return found

    def candidates(self, codes: Sequence[str], alive: NDArray) -> NDArray:
        """The live rows sharing a division with any of the codes, sorted."""
        keep = np.zeros(len(alive), dtype=bool)
        for key in {code[:3] for code in codes if len(code) >= 3}:
            keep[self.rows(key)] = True
        keep &= alive
        return np.flatnonzero(keep)

    def industry_scores(
        self, codes: Sequence[str], size: int, weights: Weights = WEIGHTS
    ) -> NDArray:
        """Per row (all ``size`` rows), the industry contribution of the best level any
        of the codes meets: divisions first, then groups and classes overwrite."""
        scores = np.zeros(size, dtype=np.float64)
        for length, weight in (
            (3, weights.industry_division),
            (4, weights.industry_group),
            (5, weights.industry_class),
        ):
            for key in {code[:length] for code in codes if len(code) >= length}:
                scores[self.rows(key)] = weight
        return scores


class SeekerIndex:
    """Enterprise profiles and technical needs with their BM25 term weights."""

    def __init__(self, corpus: SeekerCorpus, seekers: Sequence[Seeker]) -> None:
        self.corpus = corpus
        self.seekers: list[Seeker] = []
        self.row_of: dict[tuple[SeekerKind, str], int] = {}
        self.industries = IndustryPostings()
        self.affinity_rows: dict[int, Mapping[str, float]] = {}
        self._alive: list[bool] = []
        self._regions: list[tuple[int, int]] = []
        self._terms: list[frozenset[str]] = []
        self._pending: list[dict[int, float]] = []
        self._base_rows = corpus.weights.shape[0]
        self._columns: dict[str, NDArray] = {}
        self._candidates: dict[tuple[str, ...], NDArray] = {}
        # What the engine derives from the seekers for a set of codes (candidates' shares
        # of the score), dropped whenever a seeker changes.
        self.derived: dict[object, object] = {}
        self._weights: sp.csr_matrix = corpus.weights
        self._by_term: sp.csr_matrix | None = None
        for seeker in seekers:
            self._append(seeker)

    @classmethod
    def build(cls, seekers: Iterable[Seeker]) -> SeekerIndex:
        """Index seekers afresh: new BM25 statistics over all their texts."""
        listed = list({s.key: s for s in seekers}.values())
        return cls(SeekerCorpus.build([s.tokens for s in listed]), listed)

    def __len__(self) -> int:
        return sum(self._alive)

    @property
    def size(self) -> int:
        """Rows, dead ones included: the length of every per-row array."""
        return len(self.seekers)

    def upsert(self, seeker: Seeker) -> None:
        """Add a seeker or replace its earlier version (weighed with the statistics in
        force; :meth:`build` refreshes them)."""
        self.remove(seeker.kind, seeker.seeker_id)
        self._pending.append(self.corpus.weigh(seeker.tokens))
        self._append(seeker)

    def remove(self, kind: SeekerKind, seeker_id: str) -> None:
        row = self.row_of.pop((kind, seeker_id), None)
        if row is not None:
            self._alive[row] = False
            self.affinity_rows.pop(row, None)
            self._columns.pop("alive", None)
            self._candidates.clear()
            self.derived.clear()

    def _append(self, seeker: Seeker) -> None:
        row = len(self.seekers)
        self.seekers.append(seeker)
        self.row_of[seeker.key] = row
        self._alive.append(True)
        self._regions.append(region_numbers(seeker.region_code))
        self._terms.append(frozenset(seeker.tokens))
        self.industries.add(row, seeker.industry_codes)
        if seeker.affinity:
            self.affinity_rows[row] = seeker.affinity
        self._columns.clear()
        self._candidates.clear()
        self.derived.clear()

    def terms(self, row: int) -> frozenset[str]:
        return self._terms[row]

    def column(self, name: str) -> NDArray:
        """Per-row arrays: ``alive`` (bool), ``province`` and ``city`` (int32)."""
        found = self._columns.get(name)
        if found is None:
            if name == "alive":
                found = np.asarray(self._alive, dtype=bool)
            else:
                pairs = np.asarray(self._regions, dtype=np.int32).reshape(-1, 2)
                found = pairs[:, 0] if name == "province" else pairs[:, 1]
            self._columns[name] = found
        return found

    def candidates(self, codes: Sequence[str]) -> NDArray:
        """Rows of the live seekers sharing a division with the codes (kept per set of
        divisions until the seekers change)."""
        divisions = tuple(sorted({code[:3] for code in codes}))
        found = self._candidates.get(divisions)
        if found is None:
            if len(self._candidates) >= CANDIDATE_SETS:
                self._candidates.clear()
            found = self.industries.candidates(divisions, self.column("alive"))
            self._candidates[divisions] = found
        return found

    def weights(self) -> sp.csr_matrix:
        """Seekers x terms BM25 weights, rows aligned with :attr:`seekers`."""
        if self._pending or self._weights.shape[1] != len(self.corpus.vocabulary):
            columns = len(self.corpus.vocabulary)
            base = sp.csr_matrix(
                (self._weights.data, self._weights.indices, self._weights.indptr),
                shape=(self._weights.shape[0], columns),
            )
            extra = [_row(weights, columns) for weights in self._pending]
            self._weights = sp.vstack([base, *extra], format="csr") if extra else base
            self._pending = []
            self._by_term = None
        return self._weights

    def by_term(self) -> sp.csr_matrix:
        """Terms x seekers: each term's postings, for scoring one query."""
        weights = self.weights()
        if self._by_term is None:
            self._by_term = weights.T.tocsr()
        return self._by_term

    def text_scores(self, term_ids: NDArray) -> NDArray:
        """BM25 of one query (distinct term ids) against every row."""
        by_term = self.by_term()
        if len(term_ids) == 0:
            return np.zeros(self.size, dtype=np.float64)
        starts, ends = by_term.indptr[term_ids], by_term.indptr[term_ids + 1]
        rows = np.concatenate([by_term.indices[s:e] for s, e in zip(starts, ends, strict=True)])
        data = np.concatenate([by_term.data[s:e] for s, e in zip(starts, ends, strict=True)])
        return np.bincount(rows, weights=data, minlength=self.size)

    def seeker_weights(self, seeker: Seeker) -> dict[int, float]:
        """A seeker's term weights: its row if indexed, else weighed now."""
        row = self.row_of.get(seeker.key)
        if row is None or self.seekers[row] != seeker:
            return self.corpus.weigh(seeker.tokens)
        matrix = self.weights()
        start, end = matrix.indptr[row], matrix.indptr[row + 1]
        return dict(
            zip(matrix.indices[start:end].tolist(), matrix.data[start:end].tolist(), strict=True)
        )


def _row(weights: Mapping[int, float], columns: int) -> sp.csr_matrix:
    ids = np.fromiter(weights.keys(), dtype=np.int32, count=len(weights))
    data = np.fromiter(weights.values(), dtype=np.float32, count=len(weights))
    order = np.argsort(ids)
    return sp.csr_matrix((data[order], ids[order], np.asarray([0, len(ids)])), shape=(1, columns))
