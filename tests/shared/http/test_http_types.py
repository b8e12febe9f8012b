"""Pydantic API types: identifiers normalise, money and rates stay exact, messages explain."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Annotated, Any

import pytest
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from shared.domain import Money
from shared.http.types import (
    ApplicationNumberStr,
    IpcCodeStr,
    MoneyAmount,
    MoneyModel,
    RatePercent,
    RegionCodeStr,
    UsccStr,
    VisibleStr,
)


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")

    application_number: ApplicationNumberStr | None = None
    uscc: UsccStr | None = None
    ipc_codes: list[IpcCodeStr] = []
    region_code: RegionCodeStr | None = None
    amount: MoneyAmount | None = None
    capped_fee: Annotated[MoneyAmount, Field(le=20_000_000)] | None = None
    rate: RatePercent | None = None
    price: MoneyModel | None = None


def errors_of(payload: dict[str, Any]) -> list[dict[str, Any]]:
    """Validate ``payload`` as JSON (the way FastAPI sees a request body)."""
    with pytest.raises(ValidationError) as caught:
        Body.model_validate_json(json.dumps(payload))
    return [dict(e) for e in caught.value.errors()]


def only_message(payload: dict[str, Any]) -> str:
    errors = errors_of(payload)
    assert len(errors) == 1, errors
    return str(errors[0]["msg"])


# --- identifiers ---------------------------------------------------------------------------


def test_identifiers_are_normalised() -> None:
    body = Body.model_validate_json(
        '{"application_number": "zl 2017106018623", "uscc": "91350100m000100y43",'
        ' "ipc_codes": ["h04l9/32", "G06F 16/35"], "region_code": " 440300 "}'
    )
    assert body.application_number == "201710601862.3"
    assert body.uscc == "91350100M000100Y43"
    assert body.ipc_codes == ["H04L 9/32", "G06F 16/35"]
    assert body.region_code == "440300"


@pytest.mark.parametrize(
    ("payload", "message", "error_type", "problem"),
    [
        (
            {"application_number": "201710601862.7"},
            "check digit is 3 but 7 was given",
            "invalid_application_number",
            "application-number-check-digit",
        ),
        (
            {"application_number": "201740601862.3"},
            "type digit 4 is unknown",
            "invalid_application_number",
            None,
        ),
        (
            {"uscc": "91350100M000100Y44"},
            "check character is 3 but 4 was given",
            "invalid_uscc",
            "uscc-check-character",
        ),
        ({"uscc": "91350100M000100Y4"}, "expected 18 characters, got 17", "invalid_uscc", None),
        ({"ipc_codes": ["I04L 9/32"]}, "section 'I' is not one of A-H", "invalid_ipc_code", None),
        ({"region_code": "990000"}, "99 is not a province code", "invalid_region_code", None),
    ],
)
def test_invalid_identifiers_carry_the_domain_reason_and_the_rule_s_problem_type(
    payload: dict[str, Any], message: str, error_type: str, problem: str | None
) -> None:
    [error] = errors_of(payload)
    assert error["msg"].startswith(message)
    assert error["type"] == error_type
    assert error["loc"][0] == next(iter(payload))
    assert error["ctx"].get("problem") == problem


def test_the_failing_list_item_is_located() -> None:
    [error] = errors_of({"ipc_codes": ["H04L 9/32", "H04L 9/3"]})
    assert error["loc"] == ("ipc_codes", 1)
    assert error["msg"] == "subgroup '3' must be 2 to 6 digits"


@pytest.mark.parametrize("value", [201710601862, False, ["201710601862.3"]])
def test_identifiers_must_be_json_strings(value: object) -> None:
    [error] = errors_of({"application_number": value})
    assert error["type"] == "string_type"


def test_overlong_identifiers_stop_at_the_length_limit() -> None:
    [error] = errors_of({"uscc": "9" * 1000})
    assert error["type"] == "string_too_long"


def test_identifier_examples_are_in_the_json_schema() -> None:
    props = Body.model_json_schema()["properties"]

    def examples(name: str) -> list[str]:
        schema = props[name]
        if "anyOf" in schema:
            schema = schema["anyOf"][0]
        if schema.get("type") == "array":
            schema = schema["items"]
        return list(schema["examples"])

    assert examples("application_number") == ["201710601862.3"]
    assert examples("uscc") == ["91350100M000100Y43"]
    assert examples("ipc_codes") == ["H04L 9/32"]
    assert examples("region_code") == ["440300"]


# --- money ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1234.5", "1234.50"),
        ("1234.50", "1234.50"),
        (" 7 ", "7.00"),
        ("0", "0.00"),
        ("1.500", "1.50"),
        (3, "3.00"),
        ("999999999999999.99", "999999999999999.99"),
    ],
)
def test_money_accepts_strings_and_integers_and_returns_two_decimals(
    value: object, expected: str
) -> None:
    body = Body.model_validate({"amount": value})
    assert body.amount == Decimal(expected)
    assert str(body.amount) == expected
    assert body.model_dump(mode="json")["amount"] == expected
    assert f'"amount":"{expected}"' in body.model_dump_json()


def test_money_keeps_a_decimal_in_python_mode() -> None:
    body = Body.model_validate({"amount": Decimal("12.3")})
    assert body.model_dump()["amount"] == Decimal("12.30")


def test_money_refuses_json_numbers_with_a_fraction() -> None:
    message = only_message({"amount": 12.5})
    assert 'as a string such as "1234.50"' in message
    assert "never as a JSON number with a fraction" in message
    assert "JSON number" in only_message({"amount": 1e3})


def test_money_refuses_a_python_float_too() -> None:
    with pytest.raises(ValidationError, match="never as a JSON number with a fraction"):
        Body.model_validate({"amount": 0.1})


@pytest.mark.parametrize("value", [False, True])
def test_money_refuses_booleans(value: bool) -> None:
    [error] = errors_of({"amount": value})
    assert error["type"] == "decimal_type"
    assert error["msg"] == 'expected an amount as a decimal string such as "1234.50", got a boolean'


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-0.01", "amount must not be negative, got -0.01"),
        (-5, "amount must not be negative, got -5"),
        ("1.234", "amount 1.234 has 3 decimal places; at most 2 (fen) are allowed"),
        ("0.001", "amount 0.001 has 3 decimal places; at most 2 (fen) are allowed"),
        ("abc", "'abc' is not an amount such as \"1234.50\""),
        ("", "'' is not an amount such as \"1234.50\""),
        ("NaN", "'NaN' is not an amount such as \"1234.50\""),
        ("Infinity", "'Infinity' is not an amount such as \"1234.50\""),
        ("1e3", "'1e3' is not an amount such as \"1234.50\""),
        ("1,234.50", "'1,234.50' is not an amount such as \"1234.50\""),
        ("１２", "'１２' is not an amount such as \"1234.50\""),
        ("1000000000000000", "amount 1000000000000000 is too large (at most 999999999999999.99)"),
        ({"amount": 1}, 'expected an amount as a decimal string such as "1234.50", got dict'),
    ],
)
def test_bad_amounts_get_a_clear_message(value: object, message: str) -> None:
    assert only_message({"amount": value}) == message


def test_a_lone_surrogate_in_an_amount_is_quoted_escaped() -> None:
    # FastAPI parses a body with json.loads, which lets a lone surrogate through to
    # validation; a message quoting it raised UnicodeEncodeError (a 500).
    with pytest.raises(ValidationError) as caught:
        Body.model_validate({"amount": "1\ud800"})
    assert [e["msg"] for e in caught.value.errors()] == [
        "'1\\ud800' is not an amount such as \"1234.50\""
    ]


def test_field_constraints_still_apply_to_money() -> None:
    assert Body.model_validate({"capped_fee": "20000000"}).capped_fee == Decimal("20000000.00")
    [error] = errors_of({"capped_fee": "20000000.01"})
    assert error["type"] == "less_than_equal"


def test_money_json_schema_is_a_string() -> None:
    schema = Body.model_json_schema()["properties"]["amount"]["anyOf"][0]
    assert schema["type"] == "string"
    assert schema["examples"] == ["1234.50"]


# --- rates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "python", "json_text"),
    [
        ("12.5", Decimal("12.5"), "12.5"),
        ("12.50", Decimal("12.5"), "12.5"),
        ("0.0001", Decimal("0.0001"), "0.0001"),
        (100, Decimal("100"), "100"),
        ("100.0000", Decimal("100"), "100"),
        ("0", Decimal("0"), "0"),
        (20, Decimal("20"), "20"),
    ],
)
def test_rates(value: object, python: Decimal, json_text: str) -> None:
    body = Body.model_validate({"rate": value})
    assert body.rate == python
    assert body.model_dump(mode="json")["rate"] == json_text


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("100.01", "rate must be between 0 and 100 percent, got 100.01"),
        ("-1", "rate must be between 0 and 100 percent, got -1"),
        ("1.23456", "rate 1.23456 has 5 decimal places; at most 4 are allowed"),
        (12.5, "never as a JSON number with a fraction"),
        (False, "got a boolean"),
        ("12%", "'12%' is not a percentage such as \"12.5\""),
    ],
)
def test_bad_rates_get_a_clear_message(value: object, message: str) -> None:
    assert message in only_message({"rate": value})


# --- MoneyModel ----------------------------------------------------------------------------


def test_money_model_round_trip() -> None:
    body = Body.model_validate_json('{"price": {"amount": "1234.5"}}')
    assert body.price is not None
    assert body.price.currency == "CNY"
    assert body.price.to_money() == Money(Decimal("1234.50"))
    assert body.price.model_dump(mode="json") == {"amount": "1234.50", "currency": "CNY"}
    assert MoneyModel.from_money(Money.of("88")) == MoneyModel(amount=Decimal("88.00"))
    assert MoneyModel.from_money(Money.of(5)).model_dump_json() == (
        '{"amount":"5.00","currency":"CNY"}'
    )


def test_money_model_refuses_other_currencies_and_extra_fields() -> None:
    [error] = errors_of({"price": {"amount": "1", "currency": "USD"}})
    assert error["loc"] == ("price", "currency")
    [error] = errors_of({"price": {"amount": "1", "note": "x"}})
    assert error["type"] == "extra_forbidden"


def test_a_negative_money_value_cannot_become_an_api_amount() -> None:
    with pytest.raises(ValidationError, match="must not be negative"):
        MoneyModel.from_money(Money.of("-1"))


# --- text that must show something ---------------------------------------------------------


class Named(BaseModel):
    name: VisibleStr = Field(max_length=20)


@pytest.mark.parametrize(
    "text",
    [
        "清华大学",
        " \u3000清华大学\u200b",  # padding does not hide the name
        "第一行\n第二行\t备注\r\n",
        "\ue000",  # private use: a rare hanzi (生僻字) the platform's font carries
        "👨\u200d🔬",  # a zero-width joiner inside an emoji sequence
    ],
)
def test_text_with_something_to_read_is_kept_as_sent(text: str) -> None:
    assert Named.model_validate_json(json.dumps({"name": text})).name == text


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "\u3000",
        "\u200b\u200c\u200d\ufeff",
        "\u00a0\u2003\u2028",
        "\u3164\u115f\u2800",
        "\u0301\u0301",  # combining marks with nothing to sit on
    ],
)
def test_text_that_shows_nothing_is_refused(text: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Named.model_validate_json(json.dumps({"name": text}))
    (error,) = caught.value.errors()
    assert error["type"] in ("string_not_visible", "string_too_short")


def test_control_characters_are_refused_naming_them() -> None:
    with pytest.raises(ValidationError) as caught:
        Named.model_validate_json(json.dumps({"name": "清华\x1b[31m大学"}))
    (error,) = caught.value.errors()
    assert error["type"] == "string_control_character"
    assert error["msg"] == "control character U+001B at position 3 is not allowed"


def test_the_schema_says_a_name_is_not_empty() -> None:
    assert Named.model_json_schema()["properties"]["name"] == {
        "maxLength": 20,
        "minLength": 1,
        "title": "Name",
        "type": "string",
    }
