"""Industry codes (GB/T 4754-2017), the IPC -> industry concordance and strategic emerging
industries (战略性新兴产业分类 2018), from replaceable data files.

Industry codes are the section letter followed by the division, group or class digits
(``C38``, ``C384``, ``C3841``), hierarchical by prefix. The packaged files in
``shared/domain/data/industry/`` are compiled for this project (each says what is official
and what is not, docs/concordance.md); a deployment replaces them with
:func:`load_concordance`. Every file is checked when loaded: a bad row is refused with
:class:`ConcordanceDataError` naming the file, the row and the rule, never half-loaded.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from shared.domain.ipc import IpcCode

INDUSTRY_FILE = "gbt4754_2017.json"
CONCORDANCE_FILE = "ipc_gbt4754.json"
STRATEGIC_FILE = "sei_2018.json"
FILES = (INDUSTRY_FILE, CONCORDANCE_FILE, STRATEGIC_FILE)
SOURCES = frozenset({"official", "compiled"})

# GB/T 4754-2017's sections and the range of two-digit divisions (大类) each holds. The
# divisions are numbered without gaps from 01 (A) to 97 (T), so a range per section is
# the whole list of divisions.
GBT4754_DIVISIONS: dict[str, tuple[int, int]] = {
    "A": (1, 5),  # 农、林、牧、渔业
    "B": (6, 12),  # 采矿业
    "C": (13, 43),  # 制造业
    "D": (44, 46),  # 电力、热力、燃气及水生产和供应业
    "E": (47, 50),  # 建筑业
    "F": (51, 52),  # 批发和零售业
    "G": (53, 60),  # 交通运输、仓储和邮政业
    "H": (61, 62),  # 住宿和餐饮业
    "I": (63, 65),  # 信息传输、软件和信息技术服务业
    "J": (66, 69),  # 金融业
    "K": (70, 70),  # 房地产业
    "L": (71, 72),  # 租赁和商务服务业
    "M": (73, 75),  # 科学研究和技术服务业
    "N": (76, 79),  # 水利、环境和公共设施管理业
    "O": (80, 82),  # 居民服务、修理和其他服务业
    "P": (83, 83),  # 教育
    "Q": (84, 85),  # 卫生和社会工作
    "R": (86, 90),  # 文化、体育和娱乐业
    "S": (91, 96),  # 公共管理、社会保障和社会组织
    "T": (97, 97),  # 国际组织
}
INDUSTRY_CODE = re.compile(r"^[A-T]\d{2,4}$")
# IPC keys of the concordance: class (H01), subclass (H01M) or main group (H01M 10).
_IPC_KEY = re.compile(r"^[A-H]\d{2}(?:[A-Z](?: [1-9]\d{0,3})?)?$")
# 战略性新兴产业分类 2018: first level 1-9, then 1.1, then 1.1.1.
_STRATEGIC_CODE = re.compile(r"^[1-9](?:\.[1-9]\d?){0,2}$")


class ConcordanceDataError(ValueError):
    """A concordance data file is malformed; the message names the file, the row and the
    rule it breaks."""


def check_industry_code(code: str) -> str:
    """A GB/T 4754-2017 code: section letter and division (``C38``), group (``C384``) or
    class (``C3841``), whose division belongs to the section; ValueError says why not."""
    if not INDUSTRY_CODE.fullmatch(code):
        raise ValueError(
            f"{code!r} is not a GB/T 4754 industry code (section letter A-T and 2-4 digits, "
            "e.g. C38 or C3841)"
        )
    first, last = GBT4754_DIVISIONS[code[0]]
    if not first <= int(code[1:3]) <= last:
        raise ValueError(
            f"{code!r}: GB/T 4754-2017 has no division {code[1:3]} in section {code[0]} "
            f"(its divisions are {first:02d}-{last:02d})"
        )
    return code


@dataclass(frozen=True)
class Derivation:
    """Why a patent has an industry code: its IPC symbol ``ipc_code`` met the concordance
    row ``key`` (a main group ``H01M 10``, a subclass ``H01M`` or a class ``H01``), which
    gives ``industry_code``; ``source`` is ``official`` (CNIPA's table) or ``compiled``."""

    ipc_code: str
    key: str
    industry_code: str
    source: str


@dataclass(frozen=True)
class _Row:
    industries: tuple[str, ...]
    source: str


class Concordance:
    """The three tables, checked. Build it with :func:`default_concordance` or
    :func:`load_concordance`; ``version`` names the IPC concordance in force (what a
    re-derivation records)."""

    def __init__(
        self,
        *,
        version: str,
        sections: Mapping[str, str],
        names: Mapping[str, str],
        complete_divisions: frozenset[str],
        rows: Mapping[str, _Row],
        categories: Mapping[str, str],
        strategic_links: Mapping[str, tuple[str, ...]],
    ) -> None:
        self.version = version
        self._sections = dict(sections)
        self._names = dict(names)
        self._complete_divisions = complete_divisions
        self._rows = dict(rows)
        self._categories = dict(categories)
        self._strategic = dict(strategic_links)

    @property
    def row_count(self) -> int:
        """How many IPC keys the concordance maps."""
        return len(self._rows)

    def derivations(self, ipc_codes: Iterable[str]) -> list[Derivation]:
        """For each IPC symbol, in order, the industry codes of the first key the table
        has among its main group, subclass and class; symbols of none derive nothing.
        Raises :class:`InvalidIdentifier` for a malformed symbol."""
        found: list[Derivation] = []
        for raw in ipc_codes:
            code = IpcCode.parse(raw)
            for key in (code.main_group, code.subclass, code.klass):
                row = self._rows.get(key)
                if row is not None:
                    found.extend(Derivation(code.value, key, i, row.source) for i in row.industries)
                    break
        return found

    def industries_for(self, ipc_codes: Iterable[str]) -> list[str]:
        """A patent's industry codes: the union over its IPC symbols, in first-seen order."""
        return list(dict.fromkeys(d.industry_code for d in self.derivations(ipc_codes)))

    def strategic_for(self, industry_codes: Iterable[str]) -> list[str]:
        """The strategic emerging industry categories (``5.2``) of industry codes: each
        code is looked up as given, then its group, then its division; union in
        first-seen order."""
        found: dict[str, None] = {}
        for code in industry_codes:
            for key in (code[:n] for n in range(len(code), 2, -1)):
                if key in self._strategic:
                    found.update(dict.fromkeys(self._strategic[key]))
                    break
        return list(found)

    def is_listed(self, code: str) -> bool:
        """True if the industry table names ``code`` (a section letter counts)."""
        return code in self._names or code in self._sections

    def is_known_industry(self, code: str) -> bool:
        """False only when ``code`` is surely not a GB/T 4754-2017 code: malformed, a
        division the standard lacks, or a group or class absent from a division the table
        lists completely. A group or class of a division listed in part is taken on trust."""
        try:
            check_industry_code(code)
        except ValueError:
            return False
        if code in self._names:
            return True
        return len(code) > 3 and code[:3] not in self._complete_divisions

    def industry_name(self, code: str) -> str | None:
        """The Chinese name of a section, division, group or class, if the table lists it."""
        return self._names.get(code) or self._sections.get(code)

    def strategic_name(self, code: str) -> str | None:
        """The name of a strategic emerging industry category (``5`` or ``5.2``)."""
        return self._categories.get(code)


def default_concordance() -> Concordance:
    """The packaged tables (``shared/domain/data/industry/``), loaded once per process."""
    return _packaged()


@cache
def _packaged() -> Concordance:
    root = resources.files("shared.domain").joinpath("data/industry")
    return _build({name: (name, root.joinpath(name).read_text("utf-8")) for name in FILES})


def load_concordance(directory: str | Path) -> Concordance:
    """The three files of ``directory`` (same names and shapes as the packaged ones),
    checked; :class:`ConcordanceDataError` says what is wrong."""
    folder = Path(directory)
    texts: dict[str, tuple[str, str]] = {}
    for name in FILES:
        path = folder / name
        try:
            texts[name] = (str(path), path.read_text("utf-8"))
        except OSError as exc:
            raise ConcordanceDataError(f"{path}: cannot be read ({exc.strerror})") from None
    return _build(texts)


# -- checking the files -------------------------------------------------------------------


def _no_duplicates(where: str) -> Any:
    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        seen: dict[str, Any] = {}
        for key, value in pairs:
            if key in seen:
                raise ConcordanceDataError(f"{where}: key {key!r} appears twice")
            seen[key] = value
        return seen

    return hook


def _document(where: str, text: str) -> dict[str, Any]:
    try:
        doc = json.loads(text, object_pairs_hook=_no_duplicates(where))
    except json.JSONDecodeError as exc:
        raise ConcordanceDataError(f"{where}: not JSON ({exc})") from None
    if not isinstance(doc, dict):
        raise ConcordanceDataError(f"{where}: expected a JSON object")
    version = doc.get("version")
    if not isinstance(version, str) or not version.strip():
        raise ConcordanceDataError(f"{where}: missing 'version' (a non-empty string)")
    return doc


def _field(where: str, doc: Mapping[str, Any], name: str, kind: type) -> Any:
    value = doc.get(name)
    if not isinstance(value, kind):
        raise ConcordanceDataError(f"{where}: '{name}' must be a JSON {kind.__name__}")
    return value


def _build(texts: Mapping[str, tuple[str, str]]) -> Concordance:
    industry_where, industry_text = texts[INDUSTRY_FILE]
    industry = _document(industry_where, industry_text)
    sections, names, complete = _industry_table(industry_where, industry)

    def known(where: str, code: Any) -> str:
        if not isinstance(code, str):
            raise ConcordanceDataError(f"{where}: industry code {code!r} is not a string")
        try:
            check_industry_code(code)
        except ValueError as exc:
            raise ConcordanceDataError(f"{where}: {exc}") from None
        if code not in names and (len(code) == 3 or code[:3] in complete):
            raise ConcordanceDataError(
                f"{where}: industry code {code!r} is not in {INDUSTRY_FILE} (which lists "
                f"{'every division' if len(code) == 3 else f'division {code[:3]} completely'})"
            )
        return code

    concordance_where, concordance_text = texts[CONCORDANCE_FILE]
    concordance = _document(concordance_where, concordance_text)
    rows = _concordance_rows(concordance_where, concordance, known)
    strategic_where, strategic_text = texts[STRATEGIC_FILE]
    strategic = _document(strategic_where, strategic_text)
    categories, links = _strategic_table(strategic_where, strategic, known)
    return Concordance(
        version=concordance["version"],
        sections=sections,
        names=names,
        complete_divisions=complete,
        rows=rows,
        categories=categories,
        strategic_links=links,
    )


def _industry_table(
    where: str, doc: Mapping[str, Any]
) -> tuple[dict[str, str], dict[str, str], frozenset[str]]:
    sections: dict[str, str] = _field(where, doc, "sections", dict)
    for letter, name in sections.items():
        if letter not in GBT4754_DIVISIONS or not isinstance(name, str) or not name:
            raise ConcordanceDataError(
                f"{where}: section {letter!r}: a section is a letter A-T with a name"
            )
    names: dict[str, str] = _field(where, doc, "codes", dict)
    for code, name in names.items():
        row = f"{where}: code {code!r}"
        try:
            check_industry_code(code)
        except ValueError as exc:
            raise ConcordanceDataError(f"{row}: {exc}") from None
        if not isinstance(name, str) or not name.strip():
            raise ConcordanceDataError(f"{row}: the name must be a non-empty string")
        if code[0] not in sections:
            raise ConcordanceDataError(f"{row}: its section {code[0]} is not listed")
        if len(code) > 3 and code[:-1] not in names:
            raise ConcordanceDataError(f"{row}: its parent {code[:-1]} is not listed")
    complete = frozenset(_field(where, doc, "complete_divisions", list))
    for division in sorted(complete):
        if division not in names or len(division) != 3:
            raise ConcordanceDataError(
                f"{where}: complete_divisions: {division!r} is not a listed division"
            )
    return sections, names, complete


def _concordance_rows(where: str, doc: Mapping[str, Any], known: Any) -> dict[str, _Row]:
    rows: dict[str, _Row] = {}
    for number, row in enumerate(_field(where, doc, "rows", list), start=1):
        at = f"{where}: row {number}"
        if not isinstance(row, dict):
            raise ConcordanceDataError(f"{at}: expected an object with ipc, industries, source")
        key = row.get("ipc")
        if not isinstance(key, str) or not _IPC_KEY.fullmatch(key):
            raise ConcordanceDataError(
                f"{at}: ipc {key!r} is not an IPC class (H01), subclass (H01M) or main group "
                "(H01M 10)"
            )
        at = f"{at} ({key})"
        if key in rows:
            raise ConcordanceDataError(f"{at}: ipc {key} is mapped twice")
        codes = tuple(dict.fromkeys(known(at, code) for code in _targets(at, row, "industries")))
        rows[key] = _Row(codes, row["source"])
    return rows


def _targets(at: str, row: Mapping[str, Any], name: str) -> list[Any]:
    """A row's ``name`` list (what it maps to), checked non-empty, and its source."""
    targets = row.get(name)
    if not isinstance(targets, list) or not targets:
        raise ConcordanceDataError(f"{at}: {name} must be a non-empty list")
    if row.get("source") not in SOURCES:
        raise ConcordanceDataError(f"{at}: source must be 'official' or 'compiled'")
    return targets


def _strategic_table(
    where: str, doc: Mapping[str, Any], known: Any
) -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    categories: dict[str, str] = _field(where, doc, "categories", dict)
    for code, name in categories.items():
        at = f"{where}: category {code!r}"
        if not _STRATEGIC_CODE.fullmatch(code):
            raise ConcordanceDataError(f"{at}: a category code is 1-9, then .n levels (5.2)")
        if not isinstance(name, str) or not name.strip():
            raise ConcordanceDataError(f"{at}: the name must be a non-empty string")
        parent = code.rpartition(".")[0]
        if parent and parent not in categories:
            raise ConcordanceDataError(f"{at}: its parent {parent} is not listed")
    links: dict[str, tuple[str, ...]] = {}
    for number, link in enumerate(_field(where, doc, "links", list), start=1):
        at = f"{where}: link {number}"
        if not isinstance(link, dict):
            raise ConcordanceDataError(f"{at}: expected an object with industry, categories")
        industry = known(at, link.get("industry"))
        at = f"{at} ({industry})"
        if industry in links:
            raise ConcordanceDataError(f"{at}: industry {industry} is linked twice")
        wanted = _targets(at, link, "categories")
        for category in wanted:
            if category not in categories:
                raise ConcordanceDataError(f"{at}: category {category!r} is not listed")
        links[industry] = tuple(dict.fromkeys(wanted))
    return categories, links


__all__ = [
    "GBT4754_DIVISIONS",
    "Concordance",
    "ConcordanceDataError",
    "Derivation",
    "check_industry_code",
    "default_concordance",
    "load_concordance",
]
