"""Unified social credit codes (GB 32100): alphabet, length and check character."""

from __future__ import annotations

import dataclasses
import random

import pytest

from shared.domain import InvalidIdentifier, Uscc, uscc_check_character

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
KNOWN_VALID = ["91350100M000100Y43", "91110000600037341L", "911100001000079554"]


def check_character(first17: str) -> str:
    """An independent implementation of GB 32100's check, to cross-check the code."""
    total = sum(ALPHABET.index(c) * (3**i % 31) for i, c in enumerate(first17))
    return ALPHABET[(31 - total % 31) % 31]


@pytest.mark.parametrize("code", KNOWN_VALID)
def test_published_codes_are_valid(code: str) -> None:
    assert Uscc.parse(code).value == code
    assert uscc_check_character(code[:17]) == code[17]
    assert check_character(code[:17]) == code[17]


def test_the_helper_agrees_with_the_independent_check_on_random_codes() -> None:
    rng = random.Random(32100)
    for _ in range(2000):
        first17 = "".join(rng.choice(ALPHABET) for _ in range(17))
        assert uscc_check_character(first17) == check_character(first17)
        code = first17 + uscc_check_character(first17)
        assert Uscc.parse(code).value == code


@pytest.mark.parametrize(
    "raw",
    ["91350100m000100y43", " 9135 0100 M000 100Y 43 ", "９１３５０１００Ｍ０００１００Ｙ４３"],
)
def test_case_spaces_and_full_width_are_normalised(raw: str) -> None:
    assert Uscc.parse(raw).value == "91350100M000100Y43"


@pytest.mark.parametrize("code", KNOWN_VALID)
def test_every_one_character_change_is_rejected(code: str) -> None:
    for position in range(18):
        for char in ALPHABET:
            if char == code[position]:
                continue
            changed = code[:position] + char + code[position + 1 :]
            with pytest.raises(InvalidIdentifier, match="check character is"):
                Uscc.parse(changed)


def test_a_wrong_check_character_names_expected_and_given() -> None:
    with pytest.raises(InvalidIdentifier) as caught:
        Uscc.parse("91350100M000100Y44")
    assert caught.value.kind == "uscc"
    assert caught.value.reason == "check character is 3 but 4 was given"
    assert caught.value.rule == "check_character"


@pytest.mark.parametrize("letter", ["I", "O", "S", "V", "Z"])
def test_letters_outside_the_alphabet_are_named(letter: str) -> None:
    code = "91350100M000100Y4" + letter
    with pytest.raises(InvalidIdentifier) as caught:
        Uscc.parse(code)
    assert caught.value.reason.startswith(f"character {letter!r} at position 18 is not allowed")


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", "it is empty"),
        ("91350100M000100Y4", "expected 18 characters, got 17"),
        ("91350100M000100Y433", "expected 18 characters, got 19"),
        ("91350100-M000100Y43", "character '-' at position 9 is not allowed"),
    ],
)
def test_malformed_codes_are_rejected(raw: str, reason: str) -> None:
    with pytest.raises(InvalidIdentifier) as caught:
        Uscc.parse(raw)
    assert reason in caught.value.reason


def test_the_check_helper_refuses_bad_input() -> None:
    with pytest.raises(InvalidIdentifier, match="expected 17 characters, got 16"):
        uscc_check_character("91350100M000100Y")
    with pytest.raises(InvalidIdentifier, match="'O' at position 9"):
        uscc_check_character("91350100O000100Y4")


def test_demo_data_can_build_valid_codes() -> None:
    first17 = "12110000400000123"
    code = first17 + uscc_check_character(first17)
    assert Uscc.parse(code).value == code


def test_region_code_and_str() -> None:
    code = Uscc.parse("91350100M000100Y43")
    assert code.region_code == "350100"
    assert str(code) == "91350100M000100Y43"


def test_the_constructor_accepts_only_the_normalised_form() -> None:
    assert Uscc("91110000600037341L").value == "91110000600037341L"
    with pytest.raises(InvalidIdentifier, match="not in normalised form"):
        Uscc("91110000600037341l")
    with pytest.raises(dataclasses.FrozenInstanceError):
        Uscc("91110000600037341L").value = "x"  # type: ignore[misc]
