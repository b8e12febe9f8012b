"""The enterprise profile's rules, without infrastructure."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from matching.domain.errors import (
    ConsentIndustryInAndOut,
    FieldRefused,
    IndustryCodeInvalid,
    ProfileIndustryCount,
    ProfileIndustryNotAClass,
    ProfileMaintainedByEnterprise,
    ProfileNameInvalid,
    ProfileNothingToMatch,
    ProfileRegionInvalid,
    ProfileSizeUnknown,
    ProfileTextTooLong,
    ProfileUsccInvalid,
    QualificationUnknown,
    StrategicCodeInvalid,
)
from matching.domain.profile import (
    CompanySize,
    EnterpriseProfile,
    ProfileFacts,
    ProfileSource,
    PushConsent,
    Qualification,
    check_uscc,
)

# Twenty real GB/T 4754-2017 classes (电气机械和器材制造业).
CLASSES = [
    "C3811",
    "C3812",
    "C3813",
    "C3819",
    "C3821",
    "C3822",
    "C3823",
    "C3824",
    "C3825",
    "C3829",
    "C3831",
    "C3832",
    "C3833",
    "C3834",
    "C3839",
    "C3841",
    "C3842",
    "C3843",
    "C3844",
    "C3849",
]
NOW = datetime(2026, 12, 6, 8, 0, tzinfo=UTC)
USCC = "91350100M000100Y43"


def facts(**changes: Any) -> ProfileFacts:
    given: dict[str, Any] = {
        "name": "深圳市锂能新材料科技有限公司",
        "region_code": "440300",
        "industry_codes": ["C3841"],
        "strategic_codes": ["6.3.1"],
        "size": "small",
        "qualifications": ["specialized_sme"],
        "products": "磷酸铁锂正极材料",
        "technical_needs": "固态电解质界面稳定性",
    }
    return ProfileFacts.checked(**{**given, **changes})


def test_good_facts_are_normalised_and_deduplicated() -> None:
    checked = facts(
        industry_codes=[" c3841", "C3841", "C3985"],
        qualifications=["high_tech", "high_tech"],
        name="  某公司 ",
    )
    assert checked.industry_codes == ("C3841", "C3985")
    assert checked.qualifications == (Qualification.HIGH_TECH,)
    assert checked.size is CompanySize.SMALL
    assert checked.name == "某公司"


@pytest.mark.parametrize(
    ("changes", "error", "field"),
    [
        ({"region_code": "990000"}, ProfileRegionInvalid, "region_code"),
        ({"region_code": "4403"}, ProfileRegionInvalid, "region_code"),
        ({"industry_codes": ["C3841", "C38"]}, ProfileIndustryNotAClass, "industry_codes[1]"),
        ({"industry_codes": ["C384"]}, ProfileIndustryNotAClass, "industry_codes[0]"),
        ({"industry_codes": ["Z9999"]}, IndustryCodeInvalid, "industry_codes[0]"),
        ({"industry_codes": ["C9999"]}, IndustryCodeInvalid, "industry_codes[0]"),
        ({"industry_codes": ["C38411"]}, IndustryCodeInvalid, "industry_codes[0]"),
        ({"industry_codes": []}, ProfileIndustryCount, "industry_codes"),
        (
            {"industry_codes": [*CLASSES, "C3851"]},
            ProfileIndustryCount,
            "industry_codes",
        ),
        ({"strategic_codes": ["10"]}, StrategicCodeInvalid, "strategic_codes[0]"),
        ({"strategic_codes": ["0.1"]}, StrategicCodeInvalid, "strategic_codes[0]"),
        ({"strategic_codes": ["1.1.1.1"]}, StrategicCodeInvalid, "strategic_codes[0]"),
        ({"strategic_codes": ["1.a"]}, StrategicCodeInvalid, "strategic_codes[0]"),
        ({"size": "huge"}, ProfileSizeUnknown, "size"),
        ({"qualifications": ["famous"]}, QualificationUnknown, "qualifications[0]"),
        ({"products": "字" * 2001}, ProfileTextTooLong, "products"),
        ({"technical_needs": "a\x00b"}, ProfileTextTooLong, "technical_needs"),
        ({"products": " ", "technical_needs": None}, ProfileNothingToMatch, "products"),
        ({"name": "   "}, ProfileNameInvalid, "name"),
        ({"name": "名" * 201}, ProfileNameInvalid, "name"),
    ],
)
def test_each_rule_names_its_field(
    changes: dict[str, Any], error: type[FieldRefused], field: str
) -> None:
    with pytest.raises(error) as refused:
        facts(**changes)
    assert refused.value.field == field
    assert refused.value.detail.startswith(f"{field}: ")
    assert refused.value.status == 422


def test_twenty_classes_are_taken() -> None:
    assert facts(industry_codes=CLASSES).industry_codes == tuple(CLASSES)


def test_strategic_codes_at_each_level_are_taken() -> None:
    assert facts(strategic_codes=["1", "1.1", "1.1.1", "4.2.10"]).strategic_codes == (
        "1",
        "1.1",
        "1.1.1",
        "4.2.10",
    )


def test_uscc_check_character() -> None:
    assert check_uscc("91350100m000100y43") == USCC
    with pytest.raises(ProfileUsccInvalid) as refused:
        check_uscc("91350100M000100Y44")
    assert refused.value.field == "uscc"
    assert "check" in refused.value.reason


def test_an_industry_opted_in_and_out_is_refused() -> None:
    with pytest.raises(ConsentIndustryInAndOut) as refused:
        PushConsent.checked(
            push_consent=True, industries_opted_in=["C38"], industries_opted_out=["c38"]
        )
    assert refused.value.field == "industries_opted_out"
    with pytest.raises(IndustryCodeInvalid) as bad:
        PushConsent.checked(push_consent=True, industries_opted_out=["X1"])
    assert bad.value.field == "industries_opted_out[0]"


def test_consent_allows_by_prefix() -> None:
    consent = PushConsent.checked(
        push_consent=True, industries_opted_in=["C38"], industries_opted_out=["C3841"]
    )
    assert consent.allows(["C3842"])
    assert not consent.allows(["C3841"])  # opted out wins over the wider opt-in
    assert not consent.allows(["C3511"])  # not among those opted in
    assert PushConsent.checked(push_consent=True).allows(["A0111"])
    assert not PushConsent.checked(push_consent=False).allows(["C3842"])


def test_an_imported_profile_has_no_consent_and_a_reimport_keeps_the_enterprises() -> None:
    profile = EnterpriseProfile.imported(USCC, facts(), NOW)
    assert profile.source is ProfileSource.IMPORTED
    assert profile.consent.push_consent is False
    profile.give_consent("enterprise-1", PushConsent.checked(push_consent=True), NOW)
    profile.reimport(facts(products="新的产品"), NOW + timedelta(days=1))
    assert profile.consent.push_consent is True
    assert profile.source is ProfileSource.IMPORTED
    assert profile.facts.products == "新的产品"


def test_an_import_never_replaces_a_profile_the_enterprise_keeps() -> None:
    profile = EnterpriseProfile.imported(USCC, facts(), NOW)
    profile.maintain("enterprise-1", facts(), PushConsent.checked(push_consent=True), NOW)
    assert profile.source is ProfileSource.SELF
    with pytest.raises(ProfileMaintainedByEnterprise):
        profile.reimport(facts(products="运营方的版本"), NOW)
    assert profile.facts.products == "磷酸铁锂正极材料"


@pytest.mark.parametrize(
    ("changes", "bumped"),
    [
        ({"products": "钠离子电池负极"}, True),
        ({"technical_needs": "低温性能"}, True),
        ({"industry_codes": ["C3842"]}, True),
        ({"strategic_codes": ["6.3"]}, True),
        ({"region_code": "440305"}, True),
        ({"name": "更名后的公司"}, False),
        ({"size": "medium"}, False),
        ({"qualifications": ["high_tech"]}, False),
        ({}, False),
    ],
)
def test_revision_moves_when_what_matching_reads_changes(
    changes: dict[str, Any], bumped: bool
) -> None:
    profile = EnterpriseProfile.maintained(USCC, "e-1", facts(), PushConsent(), NOW)
    profile.maintain("e-1", facts(**changes), PushConsent(), NOW)
    assert profile.revision == (2 if bumped else 1)
    profile.give_consent("e-1", PushConsent.checked(push_consent=True), NOW)
    assert profile.revision == (2 if bumped else 1)
