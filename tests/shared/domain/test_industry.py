"""The industry concordance (shared.domain.industry): the packaged files load and hold
what they claim; a replacement with a bad row is refused, naming the file, the row and the
rule; lookups go main group -> subclass -> class."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from shared.domain.industry import (
    CONCORDANCE_FILE,
    FILES,
    INDUSTRY_FILE,
    STRATEGIC_FILE,
    ConcordanceDataError,
    Derivation,
    check_industry_code,
    default_concordance,
    load_concordance,
)

PACKAGED = Path(str(resources.files("shared.domain").joinpath("data/industry")))


def packaged(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((PACKAGED / name).read_text("utf-8"))
    return loaded


def test_the_packaged_files_load_and_every_code_they_use_is_named() -> None:
    concordance = default_concordance()
    assert concordance.version == packaged(CONCORDANCE_FILE)["version"]
    rows = packaged(CONCORDANCE_FILE)["rows"]
    assert concordance.row_count == len(rows) >= 500
    # Every section A-H of the IPC is covered, and every row says it was compiled here.
    assert {row["ipc"][0] for row in rows} == set("ABCDEFGH")
    assert {row["source"] for row in rows} == {"compiled"}
    for row in rows:
        for code in row["industries"]:
            assert concordance.industry_name(code), (row["ipc"], code)
    for link in packaged(STRATEGIC_FILE)["links"]:
        assert concordance.industry_name(link["industry"]), link
    industry = packaged(INDUSTRY_FILE)
    assert len(industry["sections"]) == 20
    assert sum(1 for code in industry["codes"] if len(code) == 3) == 97


def test_lookups_try_the_main_group_then_the_subclass_then_the_class() -> None:
    concordance = default_concordance()
    assert concordance.derivations(["H01M 10/0525", "H01M 8/04", "H01M 99/00", "H01X 1/00"]) == [
        Derivation("H01M 10/0525", "H01M 10", "C3841", "compiled"),
        Derivation("H01M 8/04", "H01M 8", "C3849", "compiled"),
        Derivation("H01M 99/00", "H01M", "C384", "compiled"),
        Derivation("H01X 1/00", "H01", "C38", "compiled"),
    ]
    # Main group 1 is not main group 10 (no prefix match inside a number).
    assert concordance.industries_for(["H01M 1/00"]) == ["C384"]
    # The union over the symbols, in first-seen order, no repeats; unknown classes give none.
    assert concordance.industries_for(["H04L 9/32", "G06F 21/60", "A99Z 1/00"]) == [
        "I65",
        "C3915",
    ]


def test_strategic_categories_of_industry_codes() -> None:
    concordance = default_concordance()
    # A class linked itself; a class found through its group; a division found by itself.
    assert concordance.strategic_for(["C3841", "C3972", "I6513", "C42"]) == [
        "5.2",
        "1.2",
        "1.3",
        "7.3",
    ]
    assert concordance.strategic_for(["A01"]) == []
    assert concordance.strategic_name("5.2") == "新能源汽车装置、配件制造"
    assert concordance.industry_name("C3841") == "锂离子电池制造"


def test_is_known_industry_on_the_complete_levels() -> None:
    concordance = default_concordance()
    assert concordance.is_known_industry("C38")
    assert concordance.is_known_industry("C3841")
    # C38 is listed completely: a class it lacks is unknown, not merely unlisted.
    assert not concordance.is_known_industry("C3848")
    assert not concordance.is_known_industry("C388")
    # Every division is listed: one the standard lacks is unknown.
    assert not concordance.is_known_industry("C99")
    assert not concordance.is_known_industry("A06")
    # C17 is listed in part: a well-formed class of it is taken on trust but not listed.
    assert concordance.is_known_industry("C1711")
    assert not concordance.is_listed("C1711")
    assert not concordance.is_known_industry("384C")


@pytest.mark.parametrize("code", ["C38", "C384", "C3841", "A01", "T97", "I65", "M73"])
def test_industry_codes_of_gbt_4754(code: str) -> None:
    assert check_industry_code(code) == code


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("C99", "no division 99 in section C"),
        ("A13", "no division 13 in section A"),
        ("384C", "not a GB/T 4754 industry code"),
        ("C3", "not a GB/T 4754 industry code"),
        ("U01", "not a GB/T 4754 industry code"),
    ],
)
def test_malformed_industry_codes_are_refused(code: str, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        check_industry_code(code)


def test_a_replacement_directory_loads(tmp_path: Path) -> None:
    for name in FILES:
        shutil.copy(PACKAGED / name, tmp_path / name)
    document = packaged(CONCORDANCE_FILE)
    document["version"] = "CNIPA-2018"
    document["rows"] = [{"ipc": "H01M", "industries": ["C3849"], "source": "official"}]
    (tmp_path / CONCORDANCE_FILE).write_text(json.dumps(document), "utf-8")
    replaced = load_concordance(tmp_path)
    assert replaced.version == "CNIPA-2018"
    assert replaced.derivations(["H01M 10/05"]) == [
        Derivation("H01M 10/05", "H01M", "C3849", "official")
    ]


Plant = Callable[[dict[str, Any]], None]


def _rows(*rows: dict[str, Any]) -> Plant:
    def plant(document: dict[str, Any]) -> None:
        document["rows"] = [*document["rows"][:2], *rows]

    return plant


def _set(key: str, value: Any) -> Plant:
    def plant(document: dict[str, Any]) -> None:
        document[key] = value

    return plant


def _drop(key: str) -> Plant:
    def plant(document: dict[str, Any]) -> None:
        del document[key]

    return plant


def _codes(**extra: str) -> Plant:
    def plant(document: dict[str, Any]) -> None:
        document["codes"] = {**document["codes"], **extra}

    return plant


def _links(*links: dict[str, Any]) -> Plant:
    def plant(document: dict[str, Any]) -> None:
        document["links"] = [*document["links"][:1], *links]

    return plant


def _row(ipc: str, *codes: str, source: str = "compiled") -> dict[str, Any]:
    return {"ipc": ipc, "industries": list(codes), "source": source}


@pytest.mark.parametrize(
    ("name", "plant", "message"),
    [
        (CONCORDANCE_FILE, _drop("version"), f"{CONCORDANCE_FILE}: missing 'version'"),
        (INDUSTRY_FILE, _set("version", ""), f"{INDUSTRY_FILE}: missing 'version'"),
        (STRATEGIC_FILE, _drop("version"), f"{STRATEGIC_FILE}: missing 'version'"),
        (
            CONCORDANCE_FILE,
            _rows(_row("H01M 10/05", "C3841")),
            r"row 3: ipc 'H01M 10/05' is not an IPC class \(H01\), subclass \(H01M\) or main group",
        ),
        (CONCORDANCE_FILE, _rows(_row("h01m", "C384")), "row 3: ipc 'h01m' is not an IPC"),
        (
            CONCORDANCE_FILE,
            _rows(_row("H01M", "C384"), _row("H01M", "C3841")),
            r"row 4 \(H01M\): ipc H01M is mapped twice",
        ),
        (
            CONCORDANCE_FILE,
            _rows(_row("H01M", "C99")),
            r"row 3 \(H01M\): 'C99': GB/T 4754-2017 has no division 99 in section C",
        ),
        (
            CONCORDANCE_FILE,
            _rows(_row("H01M", "384")),
            r"row 3 \(H01M\): '384' is not a GB/T 4754 industry code",
        ),
        (
            CONCORDANCE_FILE,
            _rows(_row("H01M", "C3848")),
            r"row 3 \(H01M\): industry code 'C3848' is not in gbt4754_2017.json \(which lists "
            r"division C38 completely\)",
        ),
        (
            CONCORDANCE_FILE,
            _rows(_row("H01M", "C384", source="guessed")),
            r"row 3 \(H01M\): source must be 'official' or 'compiled'",
        ),
        (
            CONCORDANCE_FILE,
            _rows(_row("H01M")),
            r"row 3 \(H01M\): industries must be a non-empty list",
        ),
        (INDUSTRY_FILE, _codes(C3848=" "), "code 'C3848': the name must be a non-empty string"),
        (INDUSTRY_FILE, _codes(C1799="虚构"), "code 'C1799': its parent C179 is not listed"),
        (INDUSTRY_FILE, _codes(C991="虚构"), "code 'C991': 'C991': GB/T 4754-2017 has no"),
        (
            INDUSTRY_FILE,
            _set("complete_divisions", ["C38", "C3841"]),
            "complete_divisions: 'C3841' is not a listed division",
        ),
        (
            STRATEGIC_FILE,
            _links({"industry": "C3841", "categories": ["5.9"], "source": "compiled"}),
            r"link 2 \(C3841\): category '5.9' is not listed",
        ),
        (
            STRATEGIC_FILE,
            _links({"industry": "C3848", "categories": ["5.2"], "source": "compiled"}),
            r"link 2: industry code 'C3848' is not in gbt4754_2017.json",
        ),
        (
            STRATEGIC_FILE,
            _set("categories", {"1": "新一代信息技术产业", "2.1": "智能制造装备产业"}),
            "category '2.1': its parent 2 is not listed",
        ),
    ],
)
def test_a_bad_file_is_refused_naming_the_file_the_row_and_the_rule(
    tmp_path: Path, name: str, plant: Plant, message: str
) -> None:
    for each in FILES:
        shutil.copy(PACKAGED / each, tmp_path / each)
    document = packaged(name)
    plant(document)
    (tmp_path / name).write_text(json.dumps(document, ensure_ascii=False), "utf-8")
    with pytest.raises(ConcordanceDataError, match=message) as refused:
        load_concordance(tmp_path)
    assert str(tmp_path / name) in str(refused.value)


def test_duplicate_keys_and_missing_files_are_refused(tmp_path: Path) -> None:
    for each in FILES:
        shutil.copy(PACKAGED / each, tmp_path / each)
    text = (PACKAGED / INDUSTRY_FILE).read_text("utf-8")
    (tmp_path / INDUSTRY_FILE).write_text(
        text.replace('"C3841": "锂离子电池制造",', '"C3841": "锂离子电池制造", "C3841": "x",'),
        "utf-8",
    )
    with pytest.raises(ConcordanceDataError, match="key 'C3841' appears twice"):
        load_concordance(tmp_path)
    (tmp_path / STRATEGIC_FILE).unlink()
    shutil.copy(PACKAGED / INDUSTRY_FILE, tmp_path / INDUSTRY_FILE)
    with pytest.raises(ConcordanceDataError, match=f"{STRATEGIC_FILE}: cannot be read"):
        load_concordance(tmp_path)
