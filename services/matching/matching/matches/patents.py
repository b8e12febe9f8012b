"""Candidate patents in columns, for matching one seeker against many patents at once.

The caller loads a seeker's candidate patents (those of its industry divisions) and the
engine lays them out like the seekers: an inverted index of industry code prefixes, region
numbers, the patent-only contributions, and a patents x terms matrix over the seekers'
vocabulary (a term no seeker uses cannot score).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from matching.domain.match import PatentFacts
from matching.domain.scoring import WEIGHTS, Weights, patent_contributions
from matching.matches.index import IndustryPostings, NDArray, SeekerIndex, region_numbers


@dataclass
class PatentBatch:
    patents: Sequence[PatentFacts]
    industries: IndustryPostings
    province: NDArray
    city: NDArray
    constant: NDArray  # tier + willingness + modes, per patent
    queries: sp.csr_matrix  # patents x terms, 1 for each distinct known term
    columns: int

    @classmethod
    def build(
        cls, patents: Sequence[PatentFacts], index: SeekerIndex, weights: Weights = WEIGHTS
    ) -> PatentBatch:
        vocabulary = index.corpus.vocabulary
        industries = IndustryPostings()
        regions = np.zeros((len(patents), 2), dtype=np.int32)
        constant = np.zeros(len(patents), dtype=np.float64)
        indptr = [0]
        indices: list[int] = []
        for row, patent in enumerate(patents):
            industries.add(row, patent.industry_codes)
            regions[row] = region_numbers(patent.region_code)
            constant[row] = sum(patent_contributions(patent, weights).values())
            indices.extend({vocabulary[t] for t in patent.tokens if t in vocabulary})
            indptr.append(len(indices))
        industries.freeze()
        columns = len(vocabulary)
        queries = sp.csr_matrix(
            (np.ones(len(indices), dtype=np.float32), indices, indptr),
            shape=(len(patents), columns),
        )
        return cls(patents, industries, regions[:, 0], regions[:, 1], constant, queries, columns)

    def __len__(self) -> int:
        return len(self.patents)

    def candidates(self, codes: Sequence[str]) -> NDArray:
        return self.industries.candidates(codes, np.ones(len(self.patents), dtype=bool))
