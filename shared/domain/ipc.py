"""International Patent Classification symbols (IPC), e.g. ``H04L 9/32``.

A symbol is a section letter (A-H), a 2-digit class, a subclass letter, then a main group
(1-4 digits), ``/`` and a subgroup (2-6 digits; ``00`` designates the main group itself).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import ClassVar

from shared.domain.errors import InvalidIdentifier
from shared.domain.identifier import NormalisedIdentifier

KIND = "ipc_code"

_SYMBOL = re.compile(r"([A-H])(\d{2})([A-Z])(\d{1,4})/(\d{2,6})")
_SUBCLASS = re.compile(r"([A-Z])(\d{2})([A-Z])")
# Prefixes used by filters: "H", "H04", "H04L", "H04L 9", or a full symbol.
_PREFIX = re.compile(r"([A-H])(?:(\d{2})(?:([A-Z])(?:(\d{1,4})(?:/(\d{2,6}))?)?)?)?")


def _compact(raw: str) -> str:
    # NFKC folds full-width characters; all whitespace goes so "H04L9/32" == "H04L 9/32".
    return "".join(unicodedata.normalize("NFKC", raw).split()).upper()


def _explain(text: str, raw: str) -> InvalidIdentifier:
    """Name the first part of ``text`` that breaks the IPC pattern."""
    if text[0] not in "ABCDEFGH":
        reason = f"section {text[0]!r} is not one of A-H"
    elif not _SUBCLASS.match(text):
        reason = "expected a 2-digit class and a subclass letter after the section, e.g. H04L"
    elif "/" not in text:
        reason = "expected main group '/' subgroup after the subclass, e.g. H04L 9/32"
    else:
        group, _, subgroup = text[4:].partition("/")
        if not (group.isascii() and group.isdigit() and 1 <= len(group) <= 4):
            reason = f"main group {group!r} must be 1 to 4 digits"
        else:
            reason = f"subgroup {subgroup!r} must be 2 to 6 digits"
    return InvalidIdentifier(KIND, reason, raw)


def _canonical(raw: str) -> str:
    if not isinstance(raw, str):
        raise InvalidIdentifier(KIND, f"expected a string, got {type(raw).__name__}")
    text = _compact(raw)
    if not text:
        raise InvalidIdentifier(KIND, "it is empty", raw)
    match = _SYMBOL.fullmatch(text)
    if not match:
        raise _explain(text, raw)
    section, klass, subclass, group, subgroup = match.groups()
    # Leading zeros in the main group appear in padded exports ("H04L 0009/32").
    return f"{section}{klass}{subclass} {int(group)}/{subgroup}"


@dataclass(frozen=True)
class IpcCode(NormalisedIdentifier):
    """A validated IPC symbol in the normalised form ``H04L 9/32``.

    Build it with :meth:`parse`; the constructor accepts only the normalised form.
    """

    kind: ClassVar[str] = KIND
    canonical = staticmethod(_canonical)

    @classmethod
    def parse(cls, raw: str) -> IpcCode:
        """Parse ``"H04L 9/32"``, ``"H04L9/32"``, ``"h04l 9/32"`` and the like; raises
        :class:`InvalidIdentifier` naming the part that is wrong."""
        return super().parse(raw)

    @property
    def section(self) -> str:
        """The section letter, ``"H"``."""
        return self.value[0]

    @property
    def klass(self) -> str:
        """The class, ``"H04"`` (``class`` is a keyword)."""
        return self.value[:3]

    @property
    def subclass(self) -> str:
        """The subclass, ``"H04L"``."""
        return self.value[:4]

    @property
    def main_group(self) -> str:
        """The main group, ``"H04L 9"``."""
        return self.value.partition("/")[0]

    @property
    def subgroup(self) -> str:
        """The subgroup digits, ``"32"``."""
        return self.value.partition("/")[2]

    @property
    def is_main_group(self) -> bool:
        """True for a main-group symbol such as ``H04L 9/00``."""
        return self.subgroup == "00"

    def has_prefix(self, prefix: str) -> bool:
        """True if this symbol lies under ``prefix`` in the hierarchy.

        ``prefix`` is a section (``"H"``), class (``"H04"``), subclass (``"H04L"``), main
        group (``"H04L 9"``, matching every subgroup of group 9 but not group 90) or a full
        symbol (exact match). Case and spaces are ignored. Raises :class:`InvalidIdentifier`
        for anything else.
        """
        text = _compact(prefix)
        match = _PREFIX.fullmatch(text) if text else None
        if not match:
            raise InvalidIdentifier(
                "ipc_prefix",
                "expected a section, class, subclass, main group or full IPC symbol, "
                "e.g. H, H04, H04L, H04L 9 or H04L 9/32",
                prefix,
            )
        section, klass, subclass, group, subgroup = match.groups()
        mine = _SYMBOL.fullmatch(self.value.replace(" ", ""))
        assert mine is not None  # the value was validated on construction
        wanted = (section, klass, subclass, group and str(int(group)), subgroup)
        have = (*mine.groups()[:3], str(int(mine.group(4))), mine.group(5))
        return all(w is None or w == h for w, h in zip(wanted, have, strict=True))
