"""Text relevance: Chinese word segmentation and the seekers' BM25 statistics.

Texts are segmented once, when they arrive (the service stores the tokens), with
``rjieba`` (jieba-rs: jieba's dictionary and algorithm, segmenting alike, many times
faster than the pure-Python ``jieba``) in search mode, so that a compound such as
动力电池 also yields 动力 and 电池 and meets a text that says only 电池. Boilerplate
words of patents and enterprise descriptions (``data/stopwords.json``: 一种, 所述, 方法,
装置 ...), punctuation and single characters are dropped.

BM25 (Lucene's variant, as ``bm25s`` computes it) is taken over the **seekers'** corpus:
the seekers are the documents and a patent's tokens the query, in both directions, so a
pair scores the same whether the patent or the seeker arrived last. ``bm25s`` builds the
term weights; :class:`SeekerCorpus` keeps them as a sparse seekers x terms matrix and
weighs a new or changed seeker's text with the statistics in force until the next build.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources

import bm25s
import numpy as np
import rjieba
import scipy.sparse as sp

K1 = 1.5
B = 0.75


def _load_stopwords() -> frozenset[str]:
    text = resources.files("matching.matches").joinpath("data/stopwords.json").read_text("utf-8")
    return frozenset(json.loads(text)["stopwords"])


STOPWORDS = _load_stopwords()


def _is_term(token: str, stopwords: frozenset[str]) -> bool:
    if token in stopwords or len(token) < 2:
        return False
    # Numbers and punctuation runs are no terms; Latin words and 5G-like codes are.
    return any(ch.isalpha() for ch in token)


def segment(*texts: str, stopwords: frozenset[str] = STOPWORDS) -> tuple[str, ...]:
    """The terms of some texts, in order, repeats kept (BM25 counts them)."""
    terms: list[str] = []
    for text in texts:
        if text:
            terms.extend(t for t in rjieba.cut_for_search(text) if _is_term(t, stopwords))
    return tuple(terms)


def query_terms(tokens: Iterable[str]) -> list[str]:
    """A patent's distinct terms, first-seen order: a query counts each term once."""
    return list(dict.fromkeys(tokens))


@dataclass
class SeekerCorpus:
    """The seekers' BM25 statistics: a vocabulary (term -> column), each term's idf, the
    mean text length, and the weight of each term in each seeker's text (rows)."""

    vocabulary: dict[str, int]
    idf: np.ndarray  # float32, per column
    average_length: float
    documents: int
    weights: sp.csr_matrix  # seekers x terms, float32

    @classmethod
    def build(cls, texts: Sequence[Sequence[str]], k1: float = K1, b: float = B) -> SeekerCorpus:
        """Index the seekers' token lists with bm25s and keep its term weights."""
        present = [list(t) if t else [] for t in texts]
        if not any(present):
            return cls({}, np.zeros(0, np.float32), 1.0, len(present), _empty(len(present)))
        retriever = bm25s.BM25(k1=k1, b=b, method="lucene")
        retriever.index(present, show_progress=False)
        scores = retriever.scores
        vocabulary: dict[str, int] = dict(retriever.vocab_dict)
        columns = len(scores["indptr"]) - 1
        by_term = sp.csc_matrix(
            (scores["data"], scores["indices"], scores["indptr"]),
            shape=(len(present), columns),
        )
        frequencies = np.diff(scores["indptr"]).astype(np.float64)
        idf = np.log1p((len(present) - frequencies + 0.5) / (frequencies + 0.5))
        lengths = [len(t) for t in present]
        return cls(
            vocabulary=vocabulary,
            idf=idf.astype(np.float32),
            average_length=float(np.mean(lengths)) or 1.0,
            documents=len(present),
            weights=by_term.tocsr(),
        )

    def term_ids(self, tokens: Iterable[str], grow: bool = False) -> np.ndarray:
        """Column ids of the distinct known terms; with ``grow``, unknown terms get new
        columns (a term no seeker has yet: df 0 until the next build)."""
        ids: list[int] = []
        for term in query_terms(tokens):
            column = self.vocabulary.get(term)
            if column is None and grow:
                column = self.vocabulary[term] = len(self.vocabulary)
            if column is not None:
                ids.append(column)
        if grow and len(self.vocabulary) > len(self.idf):
            self._grow_columns()
        return np.asarray(ids, dtype=np.int32)

    def weigh(self, tokens: Sequence[str], k1: float = K1, b: float = B) -> dict[int, float]:
        """One seeker text's term weights (column -> weight) under the statistics in
        force, the same formula bm25s applies when it builds."""
        counts = Counter(tokens)
        ids = self.term_ids(counts, grow=True)
        norm = k1 * ((1 - b) + b * len(tokens) / self.average_length)
        weights: dict[int, float] = {}
        for column, term in zip(ids.tolist(), counts, strict=True):
            tf = counts[term]
            weights[column] = float(self.idf[column]) * tf / (norm + tf)
        return weights

    def _grow_columns(self) -> None:
        new = len(self.vocabulary) - len(self.idf)
        unseen = math.log1p((self.documents + 0.5) / 0.5)
        self.idf = np.concatenate([self.idf, np.full(new, unseen, np.float32)])
        rows, columns = self.weights.shape
        self.weights = sp.csr_matrix(
            (self.weights.data, self.weights.indices, self.weights.indptr),
            shape=(rows, columns + new),
        )


def _empty(rows: int) -> sp.csr_matrix:
    return sp.csr_matrix((rows, 0), dtype=np.float32)
