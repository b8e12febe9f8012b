"""Chinese application numbers: normalisation, check digit, type digit, plausibility."""

from __future__ import annotations

import dataclasses
import random
from datetime import date

import pytest

from shared.domain import (
    ApplicationNumber,
    InvalidIdentifier,
    PatentType,
    application_number_check_digit,
)

WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)


def check_digit(digits: str) -> str:
    """An independent implementation of the published algorithm, to cross-check the code."""
    remainder = sum(int(d) * w for d, w in zip(digits, WEIGHTS, strict=False)) % 11
    return "X" if remainder == 10 else str(remainder)


def make_number(year: int, type_digit: int, serial: int) -> str:
    digits = f"{year:04d}{type_digit}{serial:07d}"
    return f"{digits}.{check_digit(digits)}"


def make_short_number(yy: int, type_digit: int, serial: int) -> str:
    digits = f"{yy:02d}{type_digit}{serial:05d}"
    return f"{digits}.{check_digit(digits)}"


def first_with_check(wanted: str, *, short: bool = False) -> str:
    for serial in range(1, 100_000):
        number = make_short_number(98, 1, serial) if short else make_number(2019, 1, serial)
        if number.endswith(wanted):
            return number
    raise AssertionError(f"no serial gives check digit {wanted}")


def test_the_published_example_has_check_digit_3() -> None:
    # 2*2 + 0*3 + 1*4 + 7*5 + 1*6 + 0*7 + 6*8 + 0*9 + 1*2 + 8*3 + 6*4 + 2*5 = 157; 157 mod 11 = 3
    assert check_digit("201710601862") == "3"
    assert application_number_check_digit("201710601862") == "3"
    assert ApplicationNumber.parse("201710601862.3").value == "201710601862.3"


def test_the_library_check_digit_agrees_with_the_independent_one() -> None:
    rng = random.Random(20250101)
    for _ in range(2000):
        digits = "".join(rng.choice("0123456789") for _ in range(rng.choice((8, 12))))
        assert application_number_check_digit(digits) == check_digit(digits)


@pytest.mark.parametrize("digits", ["", "1234567", "2017106018623", "20171060186A"])
def test_the_check_digit_helper_refuses_anything_but_8_or_12_digits(digits: str) -> None:
    with pytest.raises(ValueError, match="8 or 12 ASCII digits"):
        application_number_check_digit(digits)


@pytest.mark.parametrize(
    "raw",
    [
        "201710601862.3",
        "CN201710601862.3",
        "ZL201710601862.3",
        "cn201710601862.3",
        "zl 2017 1060 1862.3",
        "2017106018623",
        " ZL2017106018623 ",
        "2017 1060 1862 . 3",
        "２０１７１０６０１８６２．３",  # full-width, as typed with a Chinese IME
    ],
)
def test_accepted_spellings_normalise_to_one_form(raw: str) -> None:
    number = ApplicationNumber.parse(raw)
    assert number.value == "201710601862.3"
    assert str(number) == "201710601862.3"
    assert number == ApplicationNumber.parse("201710601862.3")
    assert hash(number) == hash(ApplicationNumber.parse("201710601862.3"))


def test_a_lowercase_x_check_digit_is_accepted_and_upper_cased() -> None:
    number = first_with_check("X")
    assert ApplicationNumber.parse(number.lower()).value == number
    assert ApplicationNumber.parse(number.replace(".", "").lower()).value == number


def test_generated_numbers_of_every_type_are_valid() -> None:
    rng = random.Random(7)
    for type_digit in (1, 2, 3, 8, 9):
        for _ in range(50):
            number = make_number(rng.randint(2003, 2025), type_digit, rng.randint(0, 9_999_999))
            assert ApplicationNumber.parse(number).value == number


@pytest.mark.parametrize(
    ("type_digit", "patent_type", "is_pct"),
    [
        (1, PatentType.INVENTION, False),
        (2, PatentType.UTILITY_MODEL, False),
        (3, PatentType.DESIGN, False),
        (8, PatentType.INVENTION, True),
        (9, PatentType.UTILITY_MODEL, True),
    ],
)
def test_the_type_digit_gives_the_patent_type(
    type_digit: int, patent_type: PatentType, is_pct: bool
) -> None:
    number = ApplicationNumber.parse(make_number(2021, type_digit, 1234567))
    assert number.patent_type is patent_type
    assert number.is_pct is is_pct
    assert number.filing_year == 2021


def test_properties_of_the_example() -> None:
    number = ApplicationNumber.parse("CN201710601862.3")
    assert number.filing_year == 2017
    assert number.patent_type is PatentType.INVENTION
    assert not number.is_pct
    assert number.patent_number == "ZL201710601862.3"
    assert number.digits == "201710601862"
    assert number.check_digit == "3"


def test_patent_type_values_are_the_api_strings() -> None:
    assert [t.value for t in PatentType] == ["invention", "utility_model", "design"]
    assert PatentType("utility_model") is PatentType.UTILITY_MODEL


def test_pre_2003_numbers_have_8_digits_and_weights_2_to_9() -> None:
    number = make_short_number(98, 1, 12345)
    parsed = ApplicationNumber.parse("CN" + number.replace(".", ""))
    assert parsed.value == number
    assert parsed.filing_year == 1998
    assert parsed.patent_type is PatentType.INVENTION
    assert parsed.patent_number == "ZL" + number
    assert ApplicationNumber.parse(make_short_number(2, 3, 1)).filing_year == 2002
    assert ApplicationNumber.parse(make_short_number(85, 2, 1)).filing_year == 1985
    assert ApplicationNumber.parse(make_short_number(94, 8, 1)).is_pct


def test_a_pre_2003_number_with_check_x_keeps_the_x() -> None:
    number = first_with_check("X", short=True)
    assert len(number) == 10
    assert ApplicationNumber.parse(number.lower()).value == number


def test_a_wrong_check_digit_names_expected_and_given() -> None:
    with pytest.raises(InvalidIdentifier) as caught:
        ApplicationNumber.parse("201710601862.7")
    assert caught.value.kind == "application_number"
    assert caught.value.reason == "check digit is 3 but 7 was given"
    assert caught.value.rule == "check_digit"
    assert caught.value.value == "201710601862.7"
    assert "check digit is 3 but 7 was given" in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_every_wrong_check_digit_is_rejected() -> None:
    rng = random.Random(11)
    for _ in range(100):
        number = make_number(
            rng.randint(2003, 2025), rng.choice((1, 2, 3, 8, 9)), rng.randint(0, 9_999_999)
        )
        digits, check = number.split(".")
        for wrong in "0123456789X":
            if wrong != check:
                with pytest.raises(InvalidIdentifier, match=f"is {check} but {wrong} was given"):
                    ApplicationNumber.parse(f"{digits}.{wrong}")


def test_every_single_digit_change_is_detected() -> None:
    # Each weight is non-zero modulo the prime 11, so changing any one digit changes the sum.
    number = "201710601862.3"
    for position in range(12):
        for digit in "0123456789":
            if digit == number[position]:
                continue
            changed = number[:position] + digit + number[position + 1 :]
            with pytest.raises(InvalidIdentifier):
                ApplicationNumber.parse(changed)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", "it is empty"),
        ("   ", "it is empty"),
        ("CN", "it is empty"),
        ("20171060186.3", "expected 12 digits (8 for numbers filed before October 2003)"),
        ("2017106018621.3", "got 13"),
        ("201710601862", "the check digit is missing after the 12 digits"),
        ("98112345", "the check digit is missing after the 8 digits"),
        ("201710601862.34", "expected exactly one check digit after the dot, got 2"),
        ("201710601862.", "expected exactly one check digit after the dot, got 0"),
        ("2017106O1862.3", "character 'O' at position 8 is not a digit"),
        ("2017-10601862.3", "character '-' at position 5 is not a digit"),
        ("201710601862.Y", "the check digit must be 0-9 or X, got 'Y'"),
        ("US201710601862.3", "character 'U' at position 1 is not a digit"),
    ],
)
def test_malformed_input_is_rejected_with_a_reason(raw: str, reason: str) -> None:
    with pytest.raises(InvalidIdentifier) as caught:
        ApplicationNumber.parse(raw)
    assert reason in caught.value.reason


@pytest.mark.parametrize("type_digit", [0, 4, 5, 6, 7])
def test_an_unknown_type_digit_is_rejected(type_digit: int) -> None:
    with pytest.raises(InvalidIdentifier, match=f"type digit {type_digit} is unknown"):
        ApplicationNumber.parse(make_number(2017, type_digit, 601862))


def test_implausible_filing_years_are_rejected() -> None:
    with pytest.raises(InvalidIdentifier, match="filing year 1984 is not plausible"):
        ApplicationNumber.parse(make_number(1984, 1, 1))
    too_late = date.today().year + 2
    with pytest.raises(InvalidIdentifier, match=f"filing year {too_late} is not plausible"):
        ApplicationNumber.parse(make_number(too_late, 1, 1))
    # Next year is accepted: numbers are issued in Beijing time, ahead of most clocks.
    next_year = make_number(date.today().year + 1, 1, 1)
    assert ApplicationNumber.parse(next_year).filing_year == date.today().year + 1
    assert ApplicationNumber.parse(make_number(1985, 1, 1)).filing_year == 1985


@pytest.mark.parametrize("yy", [4, 10, 50, 84])
def test_8_digit_numbers_outside_1985_to_2003_are_rejected(yy: int) -> None:
    with pytest.raises(InvalidIdentifier, match="8-digit numbers were issued from 1985 to 2003"):
        ApplicationNumber.parse(make_short_number(yy, 1, 1))


def test_the_constructor_accepts_only_the_normalised_form() -> None:
    assert ApplicationNumber("201710601862.3").value == "201710601862.3"
    with pytest.raises(InvalidIdentifier, match="not in normalised form"):
        ApplicationNumber("CN201710601862.3")
    with pytest.raises(InvalidIdentifier, match="check digit is 3 but 4 was given"):
        ApplicationNumber("201710601862.4")


def test_a_non_string_is_rejected_not_crashed_on() -> None:
    with pytest.raises(InvalidIdentifier, match="expected a string, got int"):
        ApplicationNumber.parse(201710601862)  # type: ignore[arg-type]


def test_it_is_immutable() -> None:
    number = ApplicationNumber.parse("201710601862.3")
    with pytest.raises(dataclasses.FrozenInstanceError):
        number.value = "201710601863.X"  # type: ignore[misc]


def test_a_long_raw_value_is_shortened_in_the_message() -> None:
    with pytest.raises(InvalidIdentifier) as caught:
        ApplicationNumber.parse("9" * 200)
    assert len(str(caught.value)) < 200
    assert caught.value.value == "9" * 200


def test_the_error_survives_pickling() -> None:
    # Errors cross process boundaries (worker pools, logging queues) intact.
    import pickle

    error = InvalidIdentifier(
        "application_number", "check digit is 3 but 7 was given", "x", rule="check_digit"
    )
    copy = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own object
    assert (copy.kind, copy.reason, copy.value, copy.rule, str(copy)) == (
        error.kind,
        error.reason,
        error.value,
        "check_digit",
        str(error),
    )
