"""The profiles' use cases: an enterprise keeps its own profile and its consent to
pushes; the operator and regulators read every profile. Every save queues the
enterprise for the matcher (``MatchRequests``); the matcher segments the text."""

from __future__ import annotations

from matching.domain.errors import ProfileNotReadable, ProfileOfAnotherOrganisation
from matching.domain.patent import MatchSubject
from matching.domain.profile import (
    EnterpriseProfile,
    ProfileFacts,
    PushConsent,
    check_uscc,
)
from matching.profiles.commands import (
    Acting,
    ChangeConsent,
    ConsentInput,
    ProfileInput,
    SaveOwnProfile,
)
from matching.profiles.repository import ProfileFilter, ProfileRepository
from matching.repository import MatchRequests
from shared.auth import OrgType, Principal
from shared.db.uow import UnitOfWork
from shared.errors import NotFound

OVERSIGHT = frozenset({OrgType.OPERATOR, OrgType.REGULATOR})


def facts_of(given: ProfileInput) -> ProfileFacts:
    return ProfileFacts.checked(
        name=given.name,
        region_code=given.region_code,
        industry_codes=given.industry_codes,
        strategic_codes=given.strategic_codes,
        size=given.size,
        qualifications=given.qualifications,
        products=given.products,
        technical_needs=given.technical_needs,
    )


def consent_of(given: ConsentInput) -> PushConsent:
    return PushConsent.checked(
        push_consent=given.push_consent,
        industries_opted_in=given.industries_opted_in,
        industries_opted_out=given.industries_opted_out,
    )


def _own_uscc(acting: Acting) -> str:
    if acting.uscc is None:
        raise ProfileOfAnotherOrganisation(
            "an enterprise keeps its profile with a token that carries its USCC"
        )
    return acting.uscc


async def save_own_profile(
    uow: UnitOfWork, command: SaveOwnProfile
) -> tuple[EnterpriseProfile, bool]:
    """The profile and whether it was created. An imported profile of the same USCC
    becomes the enterprise's own (``source = self``): no import replaces it again."""
    uscc = check_uscc(command.uscc)
    if uscc != _own_uscc(command.acting):
        raise ProfileOfAnotherOrganisation(
            f"uscc: {uscc} is not the calling enterprise's USCC ({command.acting.uscc}): "
            "an enterprise keeps its own profile only",
            field="uscc",
        )
    facts, consent = facts_of(command.profile), consent_of(command.consent)
    now = uow.clock.now()
    profile = await _for_change(uow, uscc)
    created = profile is None
    if profile is None:
        profile = EnterpriseProfile.maintained(uscc, command.acting.org_id, facts, consent, now)
    else:
        profile.maintain(command.acting.org_id, facts, consent, now)
    await _save(uow, profile)
    return profile, created


async def change_consent(uow: UnitOfWork, command: ChangeConsent) -> EnterpriseProfile:
    uscc = _own_uscc(command.acting)
    consent = consent_of(command.consent)
    profile = await _for_change(uow, uscc)
    if profile is None:
        raise NotFound(f"no profile of {uscc}: create it first (PUT /v1/enterprise-profiles/me)")
    profile.give_consent(command.acting.org_id, consent, uow.clock.now())
    await _save(uow, profile)
    return profile


async def own_profile(uow: UnitOfWork, acting: Acting) -> EnterpriseProfile:
    uscc = _own_uscc(acting)
    profile = await ProfileRepository(uow.session).get(uscc)
    if profile is None:
        raise NotFound(f"no profile of {uscc}")
    return profile


async def readable_profile(uow: UnitOfWork, reader: Principal, uscc: str) -> EnterpriseProfile:
    """The enterprise itself, the operator and regulators; anyone else is refused before
    the profile is looked for, so a refusal says nothing of whether it exists."""
    uscc = check_uscc(uscc)
    if reader.org_type not in OVERSIGHT and reader.uscc != uscc:
        raise ProfileNotReadable(
            "an enterprise profile is read by the enterprise itself, the operator and regulators"
        )
    profile = await ProfileRepository(uow.session).get(uscc)
    if profile is None:
        raise NotFound(f"no profile of {uscc}")
    return profile


async def list_profiles(
    uow: UnitOfWork, where: ProfileFilter, limit: int, after_uscc: str | None
) -> list[EnterpriseProfile]:
    return await ProfileRepository(uow.session).page(where, limit, after_uscc)


async def _for_change(uow: UnitOfWork, uscc: str) -> EnterpriseProfile | None:
    """The profile locked for a change, after its match request: the matcher takes a
    request and then writes the profile's tokens, so locking the profile first and asking
    for its match after could deadlock with it (the change asks for a match either way;
    a refused change rolls the request back with it)."""
    await MatchRequests(uow.session).ask(MatchSubject.ENTERPRISE, uscc, uow.clock.now())
    return await ProfileRepository(uow.session).get_for_update(uscc)


async def _save(uow: UnitOfWork, profile: EnterpriseProfile) -> None:
    await ProfileRepository(uow.session).save(profile)
