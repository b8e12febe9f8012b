"""An enterprise's profile (企业画像): what it makes, what it needs, where and in which
industries it works, and whether it wants patents pushed to it.

The facts are checked here, once, for the enterprise's own API and the operator's bulk
import alike: each broken rule raises its own error naming the field. Consent to pushes
is the enterprise's own act: a profile the operator imports starts without it, and no
later import gives or takes it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from matching.domain.errors import (
    ConsentIndustryInAndOut,
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
from shared.domain import InvalidIdentifier, RegionCode, Uscc
from shared.domain.industry import check_industry_code, default_concordance

MAX_NAME = 200
MAX_TEXT = 2000
MAX_INDUSTRIES = 20
MAX_STRATEGIC = 20
# Industries opted in or out are prefixes at any level (C38, C384, C3841).
MAX_OPTED = 50
# 战略性新兴产业分类 2018: nine first-level industries (1-9), then 1.1, then 1.1.1.
STRATEGIC_CODE = re.compile(r"^[1-9](?:\.[1-9]\d?){0,2}$")
# Text a person reads: no control characters but tabs and line breaks (NUL cannot even
# be stored).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class CompanySize(StrEnum):
    """企业规模 (大中小微企业划型)."""

    MICRO = "micro"
    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"


class Qualification(StrEnum):
    SPECIALIZED_SME = "specialized_sme"  # 专精特新
    HIGH_TECH = "high_tech"  # 高新技术企业
    IP_ADVANTAGE = "ip_advantage"  # 知识产权优势示范企业


class ProfileSource(StrEnum):
    """Who keeps the profile: the enterprise itself, or the operator's import."""

    SELF = "self"
    IMPORTED = "imported"


def check_uscc(raw: str, field_name: str = "uscc") -> str:
    try:
        return Uscc.parse(raw).value
    except InvalidIdentifier as exc:
        raise ProfileUsccInvalid(field_name, exc.reason) from None


def check_region(raw: str, field_name: str = "region_code") -> str:
    try:
        return RegionCode.parse(raw).value
    except InvalidIdentifier as exc:
        raise ProfileRegionInvalid(field_name, exc.reason) from None


def check_industry(code: str, field_name: str) -> str:
    """Any GB/T 4754-2017 code (section, division, group or class) the standard has, as
    far as the shared industry table can tell (``Concordance.is_known_industry``)."""
    try:
        checked = check_industry_code(code.strip().upper())
    except ValueError as exc:
        raise IndustryCodeInvalid(field_name, str(exc)) from None
    if not default_concordance().is_known_industry(checked):
        raise IndustryCodeInvalid(
            field_name,
            f"{checked!r}: GB/T 4754-2017 has no such code in division {checked[:3]}",
        )
    return checked


def _industry_classes(codes: Iterable[str]) -> tuple[str, ...]:
    checked: dict[str, None] = {}
    for i, raw in enumerate(codes):
        code = check_industry(raw, f"industry_codes[{i}]")
        if len(code) != 5:
            raise ProfileIndustryNotAClass(
                f"industry_codes[{i}]",
                f"{code!r} is a GB/T 4754 {'division' if len(code) == 3 else 'group'}, not a "
                "class: give the four-digit class (小类) the enterprise works in, e.g. C3841",
            )
        checked[code] = None
    if not 1 <= len(checked) <= MAX_INDUSTRIES:
        raise ProfileIndustryCount(
            "industry_codes",
            f"{len(checked)} industry classes given: a profile has 1 to {MAX_INDUSTRIES}",
        )
    return tuple(checked)


def _strategic_codes(codes: Iterable[str]) -> tuple[str, ...]:
    checked: dict[str, None] = {}
    for i, raw in enumerate(codes):
        code = raw.strip()
        if not STRATEGIC_CODE.fullmatch(code):
            raise StrategicCodeInvalid(
                f"strategic_codes[{i}]",
                f"{raw!r} is not a 战略性新兴产业分类 2018 code: 1 to 9, then 1.1, then 1.1.1",
            )
        category = ".".join(code.split(".")[:2])
        if default_concordance().strategic_name(category) is None:
            raise StrategicCodeInvalid(
                f"strategic_codes[{i}]",
                f"{raw!r}: 战略性新兴产业分类 2018 has no category {category}",
            )
        checked[code] = None
    if len(checked) > MAX_STRATEGIC:
        raise StrategicCodeInvalid(
            "strategic_codes", f"{len(checked)} codes given: at most {MAX_STRATEGIC}"
        )
    return tuple(checked)


def _size(raw: str) -> CompanySize:
    try:
        return CompanySize(raw)
    except ValueError:
        raise ProfileSizeUnknown(
            "size", f"{raw!r}: one of {', '.join(s.value for s in CompanySize)}"
        ) from None


def _qualifications(values: Iterable[str]) -> tuple[Qualification, ...]:
    checked: dict[Qualification, None] = {}
    for i, raw in enumerate(values):
        try:
            checked[Qualification(raw)] = None
        except ValueError:
            known = ", ".join(q.value for q in Qualification)
            raise QualificationUnknown(f"qualifications[{i}]", f"{raw!r}: one of {known}") from None
    return tuple(checked)


def _name(raw: str) -> str:
    name = raw.strip()
    if not name or len(name) > MAX_NAME or _CONTROL.search(name):
        raise ProfileNameInvalid(
            "name", f"give the registered name in 1 to {MAX_NAME} readable characters"
        )
    return name


def _text(raw: str | None, field_name: str) -> str:
    text = (raw or "").strip()
    if len(text) > MAX_TEXT:
        raise ProfileTextTooLong(field_name, f"{len(text)} characters: at most {MAX_TEXT}")
    if _CONTROL.search(text):
        raise ProfileTextTooLong(
            field_name, "control characters (other than tabs and line breaks) are not text"
        )
    return text


@dataclass(frozen=True)
class ProfileFacts:
    """What an enterprise is, checked: build it with :meth:`checked`."""

    name: str
    region_code: str
    industry_codes: tuple[str, ...]
    strategic_codes: tuple[str, ...]
    size: CompanySize
    qualifications: tuple[Qualification, ...]
    products: str
    technical_needs: str

    @classmethod
    def checked(
        cls,
        *,
        name: str,
        region_code: str,
        industry_codes: Iterable[str],
        strategic_codes: Iterable[str] = (),
        size: str,
        qualifications: Iterable[str] = (),
        products: str | None = None,
        technical_needs: str | None = None,
    ) -> ProfileFacts:
        """The facts, each field checked in order; raises the first rule broken."""
        facts = cls(
            name=_name(name),
            region_code=check_region(region_code),
            industry_codes=_industry_classes(industry_codes),
            strategic_codes=_strategic_codes(strategic_codes),
            size=_size(size),
            qualifications=_qualifications(qualifications),
            products=_text(products, "products"),
            technical_needs=_text(technical_needs, "technical_needs"),
        )
        if not facts.products and not facts.technical_needs:
            raise ProfileNothingToMatch(
                "products",
                "describe the enterprise's products or its technical needs (or both): "
                "matching reads them",
            )
        return facts

    def matched_on(self) -> tuple[object, ...]:
        """What the matcher reads: a change in it is a new revision."""
        return (
            self.region_code,
            self.industry_codes,
            self.strategic_codes,
            self.products,
            self.technical_needs,
        )


@dataclass(frozen=True)
class PushConsent:
    """The enterprise's choice about pushes: consent, and the industries (by prefix) it
    wants pushes for only (opted in, when any) or never (opted out)."""

    push_consent: bool = False
    industries_opted_in: tuple[str, ...] = ()
    industries_opted_out: tuple[str, ...] = ()

    @classmethod
    def checked(
        cls,
        *,
        push_consent: bool,
        industries_opted_in: Iterable[str] = (),
        industries_opted_out: Iterable[str] = (),
    ) -> PushConsent:
        opted_in = _opted(industries_opted_in, "industries_opted_in")
        opted_out = _opted(industries_opted_out, "industries_opted_out")
        both = [code for code in opted_in if code in opted_out]
        if both:
            raise ConsentIndustryInAndOut(
                "industries_opted_out",
                f"{', '.join(both)} also opted in: an industry is opted in or out, not both",
            )
        return cls(push_consent, opted_in, opted_out)

    def allows(self, industry_codes: Iterable[str]) -> bool:
        """Whether a patent of these industries may be pushed: consent given, none of its
        industries opted out and, when some are opted in, one of them opted in."""
        codes = list(industry_codes)
        if not self.push_consent:
            return False
        if any(c.startswith(out) for c in codes for out in self.industries_opted_out):
            return False
        return not self.industries_opted_in or any(
            c.startswith(wanted) for c in codes for wanted in self.industries_opted_in
        )


def _opted(codes: Iterable[str], field_name: str) -> tuple[str, ...]:
    checked = {check_industry(c, f"{field_name}[{i}]"): None for i, c in enumerate(codes)}
    if len(checked) > MAX_OPTED:
        raise IndustryCodeInvalid(field_name, f"{len(checked)} codes given: at most {MAX_OPTED}")
    return tuple(checked)


@dataclass
class EnterpriseProfile:
    uscc: str
    org_id: str | None
    facts: ProfileFacts
    source: ProfileSource
    created_at: datetime
    updated_at: datetime
    consent: PushConsent = field(default_factory=PushConsent)
    # Bumped when what the matcher reads changes (text, industries, region).
    revision: int = 1

    @classmethod
    def maintained(
        cls, uscc: str, org_id: str, facts: ProfileFacts, consent: PushConsent, now: datetime
    ) -> EnterpriseProfile:
        """A profile the enterprise creates itself."""
        return cls(uscc, org_id, facts, ProfileSource.SELF, now, now, consent)

    @classmethod
    def imported(cls, uscc: str, facts: ProfileFacts, now: datetime) -> EnterpriseProfile:
        """A profile the operator imports: no consent until the enterprise gives it."""
        return cls(uscc, None, facts, ProfileSource.IMPORTED, now, now)

    def maintain(
        self, org_id: str, facts: ProfileFacts, consent: PushConsent, now: datetime
    ) -> None:
        """The enterprise replaces its profile (an imported one becomes its own)."""
        self.org_id = org_id
        self.source = ProfileSource.SELF
        self.consent = consent
        self._replace_facts(facts, now)

    def reimport(self, facts: ProfileFacts, now: datetime) -> None:
        """The operator imports the enterprise again: the facts change, consent stays
        what the enterprise made it; a profile the enterprise keeps is never touched."""
        if self.source is ProfileSource.SELF:
            raise ProfileMaintainedByEnterprise.about(self.uscc)
        self._replace_facts(facts, now)

    def give_consent(self, org_id: str, consent: PushConsent, now: datetime) -> None:
        """The enterprise's own act, on a profile it keeps or one imported for it."""
        self.org_id = org_id
        self.consent = consent
        self.updated_at = now

    def _replace_facts(self, facts: ProfileFacts, now: datetime) -> None:
        if facts.matched_on() != self.facts.matched_on():
            self.revision += 1
        self.facts = facts
        self.updated_at = now
