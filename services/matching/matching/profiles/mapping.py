"""Row <-> :class:`EnterpriseProfile`, for the session's repository and the import's COPY
alike (both read rows as mappings of column names)."""

from __future__ import annotations

from typing import Any, Protocol

from matching.domain.profile import (
    CompanySize,
    EnterpriseProfile,
    ProfileFacts,
    ProfileSource,
    PushConsent,
    Qualification,
)

# Every column but ``tokens``, which the matcher fills (a save leaves it NULL).
PROFILE_COLUMNS = (
    "uscc",
    "org_id",
    "name",
    "region_code",
    "industry_codes",
    "strategic_codes",
    "size",
    "qualifications",
    "products",
    "technical_needs",
    "push_consent",
    "industries_opted_in",
    "industries_opted_out",
    "source",
    "revision",
    "created_at",
    "updated_at",
)


class Row(Protocol):
    """A row by column name: SQLAlchemy's ``RowMapping`` or an ``asyncpg.Record``."""

    def __getitem__(self, column: str) -> Any: ...


def to_profile(row: Row) -> EnterpriseProfile:
    return EnterpriseProfile(
        uscc=row["uscc"],
        org_id=row["org_id"],
        facts=ProfileFacts(
            name=row["name"],
            region_code=row["region_code"],
            industry_codes=tuple(row["industry_codes"]),
            strategic_codes=tuple(row["strategic_codes"]),
            size=CompanySize(row["size"]),
            qualifications=tuple(Qualification(q) for q in row["qualifications"]),
            products=row["products"],
            technical_needs=row["technical_needs"],
        ),
        source=ProfileSource(row["source"]),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        consent=PushConsent(
            push_consent=row["push_consent"],
            industries_opted_in=tuple(row["industries_opted_in"]),
            industries_opted_out=tuple(row["industries_opted_out"]),
        ),
        revision=row["revision"],
    )


def profile_values(profile: EnterpriseProfile) -> dict[str, Any]:
    facts, consent = profile.facts, profile.consent
    return {
        "uscc": profile.uscc,
        "org_id": profile.org_id,
        "name": facts.name,
        "region_code": facts.region_code,
        "industry_codes": list(facts.industry_codes),
        "strategic_codes": list(facts.strategic_codes),
        "size": facts.size.value,
        "qualifications": [q.value for q in facts.qualifications],
        "products": facts.products,
        "technical_needs": facts.technical_needs,
        "push_consent": consent.push_consent,
        "industries_opted_in": list(consent.industries_opted_in),
        "industries_opted_out": list(consent.industries_opted_out),
        "source": profile.source.value,
        "revision": profile.revision,
        "created_at": profile.created_at,
        "updated_at": profile.updated_at,
    }


def profile_record(profile: EnterpriseProfile) -> tuple[Any, ...]:
    values = profile_values(profile)
    return tuple(values[c] for c in PROFILE_COLUMNS)
