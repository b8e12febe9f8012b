"""Building a value object from a value its own parser has just canonicalised."""

from __future__ import annotations

from typing import TypeVar

T = TypeVar("T")


def trusted(cls: type[T], canonical: str) -> T:
    """An instance of the frozen, single-``value`` dataclass ``cls`` without running its
    ``__post_init__`` check again: ``parse`` has just produced the canonical form, and
    checking it twice doubled the cost of a bulk catalogue import."""
    instance = object.__new__(cls)
    object.__setattr__(instance, "value", canonical)
    return instance
