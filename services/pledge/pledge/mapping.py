"""Rows <-> domain objects, written once for the whole service.

Most aggregates keep their table's column names, so a row's values pass field by field
(:func:`_fields_of`); only what differs in shape is spelled out here: enums, the loss
sharing's four columns, JSON documents and the catalogue view's patentees.
"""

from __future__ import annotations

from dataclasses import fields
from decimal import Decimal
from enum import Enum
from typing import Any, TypeVar

from pledge.domain.bank_policy import BankPolicy
from pledge.domain.compensation import ClaimShare, CompensationClaim, LossSharing, RiskProgramme
from pledge.domain.insurance import (
    ClaimStatus,
    InsuranceClaim,
    InsurancePolicy,
    InsuranceProduct,
    ProductKind,
)
from pledge.domain.pledge import CancellationReason, Consent, DisposalMethod, Pledge, PledgeStatus
from pledge.domain.precheck import PatentView
from pledge.domain.valuation import (
    FactorContribution,
    PatentValuation,
    PortfolioValuation,
    Valuation,
)
from pledge.models import (
    BankPolicyRecord,
    CompensationClaimRecord,
    InsuranceClaimRecord,
    InsurancePolicyRecord,
    InsuranceProductRecord,
    PatentViewRecord,
    PledgeConsentRecord,
    PledgeRecord,
    RiskProgrammeRecord,
    ValuationRecord,
)
from shared.domain.terms import ConsentSubject

T = TypeVar("T")


def _fields_of(cls: type[T], row: object, **converted: object) -> T:
    """``cls`` from the row's columns of the same names; ``converted`` overrides some."""
    values = {f.name: getattr(row, f.name) for f in fields(cls) if f.name not in converted}  # type: ignore[arg-type]
    return cls(**values, **converted)


def columns(aggregate: object, *, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """The fields of an aggregate (or value object) as column values: enums as their
    value, lists copied."""

    def plain(value: object) -> object:
        if isinstance(value, Enum):
            return value.value
        return list(value) if isinstance(value, list) else value

    return {
        f.name: plain(getattr(aggregate, f.name))
        for f in fields(aggregate)  # type: ignore[arg-type]
        if f.name not in skip
    }


def update_row(row: object, values: dict[str, Any]) -> None:
    for name, value in values.items():
        setattr(row, name, value)


# -- pledges ----------------------------------------------------------------------------------


def pledge_of(row: PledgeRecord) -> Pledge:
    return _fields_of(
        Pledge,
        row,
        status=PledgeStatus(row.status),
        cancellation_reason=(
            CancellationReason(row.cancellation_reason) if row.cancellation_reason else None
        ),
        disposal_method=DisposalMethod(row.disposal_method) if row.disposal_method else None,
        co_owner_consents=list(row.co_owner_consents),
        application_numbers=list(row.application_numbers),
    )


def pledge_columns(pledge: Pledge) -> dict[str, Any]:
    return columns(pledge)


def consent_of(row: PledgeConsentRecord) -> Consent:
    return _fields_of(Consent, row, consent_to=ConsentSubject(row.consent_to))


def consent_row(consent: Consent) -> PledgeConsentRecord:
    return PledgeConsentRecord(**columns(consent))


# -- views ------------------------------------------------------------------------------------


def patent_view_of(row: PatentViewRecord) -> PatentView:
    return _fields_of(
        PatentView,
        row,
        patentee_usccs=tuple(p["uscc"] for p in row.patentees if p.get("uscc")),
        ipc_codes=tuple(row.ipc_codes),
    )


# -- banks ------------------------------------------------------------------------------------


def bank_policy_of(row: BankPolicyRecord) -> BankPolicy:
    return _fields_of(BankPolicy, row)


def programme_of(row: RiskProgrammeRecord) -> RiskProgramme:
    return _fields_of(
        RiskProgramme,
        row,
        sharing=LossSharing(
            fund=row.fund_share,
            bank=row.bank_share,
            insurer=row.insurer_share,
            appraiser=row.appraiser_share,
        ),
        bank_org_ids=list(row.bank_org_ids),
    )


def programme_columns(programme: RiskProgramme) -> dict[str, Any]:
    sharing = programme.sharing
    return columns(programme, skip=("sharing",)) | {
        "fund_share": sharing.fund,
        "bank_share": sharing.bank,
        "insurer_share": sharing.insurer,
        "appraiser_share": sharing.appraiser,
    }


def claim_of(row: CompensationClaimRecord) -> CompensationClaim:
    return _fields_of(
        CompensationClaim,
        row,
        shares=tuple(
            ClaimShare(s["party"], Decimal(s["percent"]), Decimal(s["amount"])) for s in row.shares
        ),
    )


def claim_row(claim: CompensationClaim) -> CompensationClaimRecord:
    shares = [
        {"party": s.party, "percent": str(s.percent), "amount": str(s.amount)} for s in claim.shares
    ]
    return CompensationClaimRecord(**columns(claim, skip=("shares",)), shares=shares)


# -- valuations -------------------------------------------------------------------------------


def _text(value: object) -> object:
    return str(value) if isinstance(value, Decimal) else value


def _decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def valuation_of(row: ValuationRecord) -> Valuation:
    patents = tuple(
        PatentValuation(
            application_number=p["application_number"],
            base=Decimal(p["base"]),
            low=Decimal(p["low"]),
            point=Decimal(p["point"]),
            high=Decimal(p["high"]),
            factors=tuple(
                FactorContribution(
                    f["factor"], _decimal(f["multiplier"]), Decimal(f["contribution"]), f["basis"]
                )
                for f in p["factors"]
            ),
        )
        for p in row.patents
    )
    result = PortfolioValuation(
        row.method, row.method_version, row.low, row.point, row.high, patents
    )
    return _fields_of(
        Valuation, row, result=result, application_numbers=list(row.application_numbers)
    )


def valuation_row(valuation: Valuation) -> ValuationRecord:
    result = valuation.result
    patents = [
        {
            name: (
                [{k: _text(v) for k, v in columns(f).items()} for f in patent.factors]
                if name == "factors"
                else _text(value)
            )
            for name, value in columns(patent).items()
        }
        for patent in result.patents
    ]
    return ValuationRecord(
        **columns(valuation, skip=("result",)),
        method=result.method,
        method_version=result.method_version,
        low=result.low,
        point=result.point,
        high=result.high,
        patents=patents,
    )


# -- insurance --------------------------------------------------------------------------------


def product_of(row: InsuranceProductRecord) -> InsuranceProduct:
    return _fields_of(InsuranceProduct, row, kind=ProductKind(row.kind))


def policy_of(row: InsurancePolicyRecord) -> InsurancePolicy:
    return _fields_of(
        InsurancePolicy,
        row,
        kind=ProductKind(row.kind),
        application_numbers=list(row.application_numbers),
    )


def insurance_claim_of(row: InsuranceClaimRecord) -> InsuranceClaim:
    return _fields_of(InsuranceClaim, row, status=ClaimStatus(row.status))
