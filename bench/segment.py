"""Which segmenter listing's search uses: rjieba (Rust) beside jieba (pure Python).

Times both on synthetic titles and abstracts (bench.catalogue.patents) in search mode
and counts the texts they cut identically. Prints one line each; the figures are in
docs/listing.md. ``python -m bench.segment --count 20000``.
"""

from __future__ import annotations

import argparse
import logging
import time

import jieba
import rjieba

from bench.catalogue import patents
from listing.domain.search import normalise
from listing.search.engine.segment import words


def main(count: int) -> None:
    jieba.setLogLevel(logging.WARNING)
    texts = [normalise(p["title"] + p["abstract"]) for p in patents(count)]
    jieba.lcut_for_search("预热")
    rjieba.cut_for_search("预热")
    cuts = {}
    for name, cut in (("jieba", jieba.lcut_for_search), ("rjieba", rjieba.cut_for_search)):
        started = time.perf_counter()
        cuts[name] = [list(cut(t)) for t in texts]
        took = time.perf_counter() - started
        print(f"{name:7} {took:6.2f} s for {count} texts ({count / took:,.0f} texts/s)")
    same = sum(a == b for a, b in zip(cuts["jieba"], cuts["rjieba"], strict=True))
    print(f"identical cuts: {same}/{count} ({same / count:.2%})")
    started = time.perf_counter()
    for t in texts:
        words(t)
    took = time.perf_counter() - started
    print(f"words() {took:6.2f} s for {count} texts (what the index and queries use)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=20_000)
    main(parser.parse_args().count)
