"""An explainable valuation of a patent or a portfolio (method ``ipmarket-factor``, v1).

Each patent starts from a base value for its type and passes through the factors in a
fixed order; every step's change in CNY is reported as that factor's contribution, so the
contributions add up exactly to ``point - base``. The range around the point narrows as
evidence grows (claims count known, licences on record). See docs/pledge-valuation.md: the
constants are transparent starting points for a bank's appraiser, not market estimates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

METHOD = "ipmarket-factor"
METHOD_VERSION = "1"

_FEN = Decimal("0.01")
BASE_VALUE = {
    "invention": Decimal("800000"),
    "utility_model": Decimal("200000"),
    "design": Decimal("100000"),
}
# The remaining term at which the term factor is 1: half the statutory term.
REFERENCE_YEARS = {"invention": Decimal(10), "utility_model": Decimal(5), "design": Decimal("7.5")}
IPC_SECTION_FACTOR = {
    "H": Decimal("1.20"),
    "G": Decimal("1.15"),
    "C": Decimal("1.10"),
    "A": Decimal("1.05"),
    "B": Decimal("1.00"),
    "F": Decimal("1.00"),
    "E": Decimal("0.95"),
    "D": Decimal("0.90"),
}
ROYALTY_MULTIPLE = Decimal("1.5")


@dataclass(frozen=True)
class ValuationInput:
    application_number: str
    patent_type: str
    expiry_date: date
    ipc_codes: tuple[str, ...]
    claims_count: int | None
    licenses_taken: int
    royalties_paid: Decimal
    legal_events: int
    encumbered: bool  # suspended, under preservation or fees unpaid


@dataclass(frozen=True)
class FactorContribution:
    factor: str
    multiplier: Decimal | None
    contribution: Decimal
    basis: str


@dataclass(frozen=True)
class PatentValuation:
    application_number: str
    base: Decimal
    low: Decimal
    point: Decimal
    high: Decimal
    factors: tuple[FactorContribution, ...]


@dataclass(frozen=True)
class PortfolioValuation:
    method: str
    method_version: str
    low: Decimal
    point: Decimal
    high: Decimal
    patents: tuple[PatentValuation, ...]


def _fen(value: Decimal) -> Decimal:
    return value.quantize(_FEN, rounding=ROUND_HALF_UP)


def _clamp(value: Decimal, low: Decimal, high: Decimal) -> Decimal:
    return max(low, min(high, value))


def value_patent(patent: ValuationInput, today: date) -> PatentValuation:
    base = BASE_VALUE.get(patent.patent_type, BASE_VALUE["utility_model"])
    value = base
    factors: list[FactorContribution] = []

    def apply(name: str, multiplier: Decimal, basis: str) -> None:
        nonlocal value
        after = _fen(value * multiplier)
        factors.append(FactorContribution(name, multiplier, after - value, basis))
        value = after

    remaining = Decimal(max((patent.expiry_date - today).days, 0)) / Decimal("365.25")
    reference = REFERENCE_YEARS.get(patent.patent_type, Decimal(5))
    apply(
        "remaining_term",
        _clamp(remaining / reference, Decimal(0), Decimal("1.5")).quantize(Decimal("0.0001")),
        f"{remaining:.1f} years left; factor 1 at {reference} years, at most 1.5",
    )
    if patent.claims_count is None:
        apply("claims", Decimal(1), "claims count not provided")
    else:
        claims = Decimal(patent.claims_count)
        apply(
            "claims",
            _clamp(1 + Decimal("0.02") * (claims - 10), Decimal("0.8"), Decimal("1.4")),
            f"{patent.claims_count} claims; +2 % per claim above 10, within 0.8-1.4",
        )
    sections = {code[:1] for code in patent.ipc_codes if code}
    ipc = max((IPC_SECTION_FACTOR.get(s, Decimal(1)) for s in sections), default=Decimal(1))
    apply(
        "ipc",
        ipc,
        f"IPC sections {', '.join(sorted(sections)) or 'unknown'}; strongest section weight",
    )
    licenses = min(patent.licenses_taken, 5)
    apply(
        "licenses_taken",
        1 + Decimal("0.1") * licenses,
        f"{patent.licenses_taken} licences on record; +10 % each, at most 5",
    )
    penalty = Decimal(1) - Decimal("0.05") * min(patent.legal_events, 5)
    if patent.encumbered:
        penalty *= Decimal("0.5")
    apply(
        "legal_events",
        penalty,
        f"{patent.legal_events} status changes (-5 % each, at most 5)"
        + ("; currently suspended, preserved or fees unpaid (x0.5)" if patent.encumbered else ""),
    )
    royalties = _fen(patent.royalties_paid * ROYALTY_MULTIPLE)
    factors.append(
        FactorContribution(
            "royalties_paid",
            None,
            royalties,
            f"{patent.royalties_paid} CNY of licence fees on record, capitalised x1.5",
        )
    )
    value += royalties
    spread = Decimal("0.40")
    if patent.claims_count is not None:
        spread -= Decimal("0.10")
    if patent.licenses_taken:
        spread -= Decimal("0.10")
    return PatentValuation(
        application_number=patent.application_number,
        base=base,
        low=_fen(value * (1 - spread)),
        point=value,
        high=_fen(value * (1 + spread)),
        factors=tuple(factors),
    )


def value_portfolio(patents: list[ValuationInput], today: date) -> PortfolioValuation:
    valued = tuple(value_patent(p, today) for p in patents)
    return PortfolioValuation(
        method=METHOD,
        method_version=METHOD_VERSION,
        low=sum((v.low for v in valued), Decimal(0)),
        point=sum((v.point for v in valued), Decimal(0)),
        high=sum((v.high for v in valued), Decimal(0)),
        patents=valued,
    )


def proposed_max_loan(valuation: PortfolioValuation, loan_to_value_percent: Decimal) -> Decimal:
    """The bank's loan-to-value applied to the *low* end of the range (conservative)."""
    return _fen(valuation.low * loan_to_value_percent / 100)


@dataclass(frozen=True)
class Valuation:
    """One valuation as recorded: who asked, of what, the result, and the bank's
    loan-to-value applied to it when there is one."""

    id: str
    pledge_id: str | None
    requested_by: str
    application_numbers: list[str]
    result: PortfolioValuation
    loan_to_value_percent: Decimal | None
    proposed_max_loan: Decimal | None
    valued_on: date
    created_at: datetime
