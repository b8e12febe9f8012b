"""The valuation method's arithmetic: pure domain, no infrastructure."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pledge.domain.valuation import ValuationInput, proposed_max_loan, value_portfolio

TODAY = date(2026, 11, 23)


def patent(**overrides: object) -> ValuationInput:
    values: dict[str, object] = {
        "application_number": "201810000001.1",
        "patent_type": "invention",
        "expiry_date": date(2038, 6, 14),
        "ipc_codes": ("H01M 10/48",),
        "claims_count": None,
        "licenses_taken": 0,
        "royalties_paid": Decimal(0),
        "legal_events": 0,
        "encumbered": False,
    }
    values.update(overrides)
    return ValuationInput(**values)  # type: ignore[arg-type]


def test_contributions_explain_the_whole_point_value() -> None:
    result = value_portfolio(
        [patent(claims_count=18, licenses_taken=2, royalties_paid=Decimal("120000"))], TODAY
    )
    (valued,) = result.patents
    assert [f.factor for f in valued.factors] == [
        "remaining_term",
        "claims",
        "ipc",
        "licenses_taken",
        "legal_events",
        "royalties_paid",
    ]
    assert valued.base + sum(f.contribution for f in valued.factors) == valued.point
    assert valued.factors[-1].contribution == Decimal("180000.00")
    # Claims and licences known: the range narrows to +-20 %.
    assert valued.low == (valued.point * Decimal("0.8")).quantize(Decimal("0.01"))
    assert result.method == "ipmarket-factor"
    assert result.method_version == "1"


def test_less_term_less_value_and_an_expired_patent_is_worth_only_its_royalties() -> None:
    long = value_portfolio([patent()], TODAY).point
    short = value_portfolio([patent(expiry_date=date(2029, 1, 1))], TODAY).point
    expired = value_portfolio(
        [patent(expiry_date=date(2026, 1, 1), royalties_paid=Decimal("10"))], TODAY
    ).point
    assert long > short > expired == Decimal("15.00")


def test_legal_trouble_lowers_the_value() -> None:
    clean = value_portfolio([patent()], TODAY).point
    troubled = value_portfolio([patent(legal_events=2, encumbered=True)], TODAY).point
    assert troubled == (clean * Decimal("0.9") * Decimal("0.5")).quantize(Decimal("0.01"))


def test_portfolio_sums_and_loan_to_value_applies_to_the_low_end() -> None:
    result = value_portfolio(
        [patent(), patent(application_number="201820000002.1", patent_type="utility_model")],
        TODAY,
    )
    assert result.point == sum(p.point for p in result.patents)
    assert proposed_max_loan(result, Decimal(50)) == (result.low / 2).quantize(Decimal("0.01"))
