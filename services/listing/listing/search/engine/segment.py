"""Chinese word segmentation of search text: jieba's dictionary and algorithm.

``rjieba`` (jieba-rs) and the pure-Python ``jieba`` cut alike; rjieba was chosen by
measurement (``bench/segment.py``, figures in docs/listing.md). Search mode
(``cut_for_search``) also yields the shorter words inside a long one (锂离子 ->
离子, 锂离子), so a query's 离子 and a text's 锂离子 share a word. The index and the
query are cut by this one function, on text already normalised
(``listing.domain.search.normalise``).
"""

from __future__ import annotations

import rjieba


def words(text: str) -> list[str]:
    """The words of normalised ``text`` in order (repeats kept: BM25 counts them); a
    single character is no word of its own (它, 的 and a lone 一 say nothing)."""
    return [w for w in rjieba.cut_for_search(text) if len(w) > 1]
