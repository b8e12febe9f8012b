"""The base of the identifier value objects (application number, IPC symbol, region
code, USCC): one normalised form, checked on construction, produced by ``parse``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Self, TypeVar

from shared.domain.errors import InvalidIdentifier

T = TypeVar("T")


def trusted(cls: type[T], canonical: str) -> T:
    """An instance of the frozen, single-``value`` dataclass ``cls`` without running its
    ``__post_init__`` check again: ``parse`` has just produced the canonical form, and
    checking it twice doubled the cost of a bulk catalogue import."""
    instance = object.__new__(cls)
    object.__setattr__(instance, "value", canonical)
    return instance


@dataclass(frozen=True)
class NormalisedIdentifier:
    """An identifier held in its one normalised form.

    A subclass names its ``kind`` (the word errors use) and its ``canonical`` function
    (raw input -> normalised form, raising :class:`InvalidIdentifier` naming the problem).
    Build one with :meth:`parse`; the constructor accepts only the normalised form.
    """

    value: str
    kind: ClassVar[str]

    @staticmethod
    def canonical(raw: str) -> str:
        raise NotImplementedError

    def __post_init__(self) -> None:
        canonical = self.canonical(self.value)
        if canonical != self.value:
            raise InvalidIdentifier(
                self.kind,
                f"not in normalised form (expected {canonical}); use {type(self).__name__}.parse",
                self.value,
            )

    @classmethod
    def parse(cls, raw: str) -> Self:
        """The identifier in ``raw`` (user input); raises :class:`InvalidIdentifier`
        naming what is wrong."""
        return trusted(cls, cls.canonical(raw))

    def __str__(self) -> str:
        return self.value
