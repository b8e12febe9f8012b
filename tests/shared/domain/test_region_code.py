"""GB/T 2260 administrative division codes."""

from __future__ import annotations

import pytest

from shared.domain import InvalidIdentifier, RegionCode

PROVINCES = [
    *range(11, 16),
    *range(21, 24),
    *range(31, 38),
    *range(41, 47),
    *range(50, 55),
    *range(61, 66),
    71,
    81,
    82,
]


@pytest.mark.parametrize("province", PROVINCES)
def test_every_province_is_accepted(province: int) -> None:
    code = RegionCode.parse(f"{province}0000")
    assert code.is_province
    assert code.province_code == f"{province}0000"
    assert code.prefecture_code is None


@pytest.mark.parametrize(
    "province", [0, 10, 16, 20, 24, 30, 38, 40, 47, 49, 55, 60, 66, 70, 72, 80, 83, 99]
)
def test_non_province_prefixes_are_rejected(province: int) -> None:
    with pytest.raises(InvalidIdentifier) as caught:
        RegionCode.parse(f"{province:02d}0100")
    assert caught.value.reason == f"{province:02d} is not a province code"


@pytest.mark.parametrize(
    ("raw", "value", "province", "prefecture"),
    [
        ("440300", "440300", "440000", "440300"),  # Shenzhen
        ("440305", "440305", "440000", "440300"),  # Nanshan district
        ("110108", "110108", "110000", "110100"),  # Haidian district, Beijing
        (" 510100 ", "510100", "510000", "510100"),  # Chengdu
        ("４４０３００", "440300", "440000", "440300"),  # full-width digits
    ],
)
def test_levels(raw: str, value: str, province: str, prefecture: str) -> None:
    code = RegionCode.parse(raw)
    assert code.value == value
    assert str(code) == value
    assert code.province_code == province
    assert code.prefecture_code == prefecture
    assert not code.is_province


def test_is_within() -> None:
    nanshan = RegionCode.parse("440305")
    assert nanshan.is_within(RegionCode.parse("440000"))
    assert nanshan.is_within(RegionCode.parse("440300"))
    assert nanshan.is_within(nanshan)
    assert not nanshan.is_within(RegionCode.parse("440100"))
    assert not nanshan.is_within(RegionCode.parse("440304"))
    assert not nanshan.is_within(RegionCode.parse("510000"))
    assert not RegionCode.parse("440000").is_within(nanshan)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", "it is empty"),
        ("4403", "expected 6 digits, got 4"),
        ("4403001", "expected 6 digits, got 7"),
        ("44030A", "a region code has digits only"),
        ("-44030", "a region code has digits only"),
    ],
)
def test_malformed_codes_are_rejected(raw: str, reason: str) -> None:
    with pytest.raises(InvalidIdentifier) as caught:
        RegionCode.parse(raw)
    assert caught.value.kind == "region_code"
    assert caught.value.reason == reason


def test_the_constructor_accepts_only_the_normalised_form() -> None:
    assert RegionCode("440300").value == "440300"
    with pytest.raises(InvalidIdentifier, match="not in normalised form"):
        RegionCode(" 440300")
