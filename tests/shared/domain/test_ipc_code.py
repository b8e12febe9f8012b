"""IPC symbols: parsing, normalisation, hierarchy and prefix filters."""

from __future__ import annotations

import pytest

from shared.domain import InvalidIdentifier, IpcCode


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("H04L 9/32", "H04L 9/32"),
        ("H04L9/32", "H04L 9/32"),
        ("h04l 9/32", "H04L 9/32"),
        ("  H04L  9 / 32 ", "H04L 9/32"),
        ("H04L 0009/32", "H04L 9/32"),
        ("G06F 16/35", "G06F 16/35"),
        ("A61K 31/7088", "A61K 31/7088"),
        ("H01M 10/0525", "H01M 10/0525"),
        ("B65D 1/00", "B65D 1/00"),
        ("G06N 3/08", "G06N 3/08"),
        ("H04W 1000/123456", "H04W 1000/123456"),
        ("Ｈ０４Ｌ　９／３２", "H04L 9/32"),
    ],
)
def test_spellings_normalise(raw: str, normalised: str) -> None:
    code = IpcCode.parse(raw)
    assert code.value == normalised
    assert str(code) == normalised


def test_hierarchy_properties() -> None:
    code = IpcCode.parse("h04l9/32")
    assert code.section == "H"
    assert code.klass == "H04"
    assert code.subclass == "H04L"
    assert code.main_group == "H04L 9"
    assert code.subgroup == "32"
    assert not code.is_main_group
    assert IpcCode.parse("H04L 9/00").is_main_group


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        ("H", True),
        ("h", True),
        ("H04", True),
        ("H04L", True),
        ("h04l", True),
        ("H04L 9", True),
        ("H04L9", True),
        ("H04L 0009", True),
        ("H04L 9/32", True),
        ("H04L9/32", True),
        ("G", False),
        ("H03", False),
        ("H04W", False),
        ("H04L 90", False),
        ("H04L 93", False),
        ("H04L 9/3247", False),
        ("H04L 9/00", False),
    ],
)
def test_has_prefix_follows_the_hierarchy(prefix: str, expected: bool) -> None:
    assert IpcCode.parse("H04L 9/32").has_prefix(prefix) is expected


def test_a_main_group_prefix_does_not_match_a_longer_group_number() -> None:
    # A string prefix test would wrongly put H04L 90/00 under "H04L 9".
    assert not IpcCode.parse("H04L 90/00").has_prefix("H04L 9")
    assert IpcCode.parse("H04L 90/00").has_prefix("H04L 90")


@pytest.mark.parametrize("prefix", ["", "I", "H4", "H04L 9/", "H04L 9/3", "X04L", "H04L/32"])
def test_an_invalid_prefix_is_an_error_not_a_silent_false(prefix: str) -> None:
    with pytest.raises(InvalidIdentifier) as caught:
        IpcCode.parse("H04L 9/32").has_prefix(prefix)
    assert caught.value.kind == "ipc_prefix"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", "it is empty"),
        ("I04L 9/32", "section 'I' is not one of A-H"),
        ("Z04L 9/32", "section 'Z' is not one of A-H"),
        ("H4L 9/32", "expected a 2-digit class and a subclass letter"),
        ("H04 9/32", "expected a 2-digit class and a subclass letter"),
        ("H04L", "expected main group '/' subgroup"),
        ("H04L 932", "expected main group '/' subgroup"),
        ("H04L /32", "main group '' must be 1 to 4 digits"),
        ("H04L 12345/32", "main group '12345' must be 1 to 4 digits"),
        ("H04L 9/3", "subgroup '3' must be 2 to 6 digits"),
        ("H04L 9/1234567", "subgroup '1234567' must be 2 to 6 digits"),
        ("H04L 9/3a", "subgroup '3A' must be 2 to 6 digits"),
    ],
)
def test_invalid_symbols_name_the_wrong_part(raw: str, reason: str) -> None:
    with pytest.raises(InvalidIdentifier) as caught:
        IpcCode.parse(raw)
    assert caught.value.kind == "ipc_code"
    assert caught.value.reason.startswith(reason)


def test_the_constructor_accepts_only_the_normalised_form() -> None:
    assert IpcCode("G06F 16/35") == IpcCode.parse("g06f16/35")
    with pytest.raises(InvalidIdentifier, match="not in normalised form"):
        IpcCode("G06F16/35")
