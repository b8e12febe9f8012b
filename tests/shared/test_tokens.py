"""Bearer tokens: what the verifier accepts, refuses, and remembers."""

from __future__ import annotations

import time

import jwt
import pytest

from shared.auth import OrgType
from shared.auth.tokens import TokenError, TokenVerifier, issue_token
from shared.settings import ServiceSettings

SETTINGS = ServiceSettings()


def verifier() -> TokenVerifier:
    return TokenVerifier.from_settings(SETTINGS)


def token(**overrides: object) -> str:
    return issue_token(
        SETTINGS,
        org_id="org-thu",
        org_name="清华大学",
        org_type=OrgType.UNIVERSITY,
        **overrides,  # type: ignore[arg-type]
    )


def test_a_valid_token_names_its_organisation_each_time() -> None:
    check, raw = verifier(), token()
    first = check.verify(raw)
    assert (first.org_id, first.org_name, first.org_type) == (
        "org-thu",
        "清华大学",
        OrgType.UNIVERSITY,
    )
    assert check.verify(raw) == first


def test_a_token_verified_before_is_refused_once_it_expires() -> None:
    check, raw = verifier(), token(ttl_seconds=1)
    check.verify(raw)
    time.sleep(1.1)
    with pytest.raises(TokenError, match="expired"):
        check.verify(raw)
    with pytest.raises(TokenError, match="expired"):
        check.verify(raw)


def test_tokens_signed_with_another_key_or_for_another_audience_are_refused() -> None:
    check = verifier()
    claims = jwt.decode(token(), options={"verify_signature": False})
    forged = jwt.encode(claims, "another-secret-of-at-least-32-bytes!!", "HS256")
    with pytest.raises(TokenError, match="not valid"):
        check.verify(forged)
    elsewhere = jwt.encode(
        {**claims, "aud": "another-platform"},
        SETTINGS.auth_jwt_key.get_secret_value(),
        SETTINGS.auth_jwt_algorithm,
    )
    with pytest.raises(TokenError, match="not valid"):
        check.verify(elsewhere)
    # A refused token is not remembered: it is refused again, for the same reason.
    with pytest.raises(TokenError, match="not valid"):
        check.verify(forged)


def test_a_token_without_an_organisation_type_is_refused() -> None:
    claims = jwt.decode(token(), options={"verify_signature": False})
    del claims["org_type"]
    raw = jwt.encode(claims, SETTINGS.auth_jwt_key.get_secret_value(), SETTINGS.auth_jwt_algorithm)
    with pytest.raises(TokenError, match="organisation claim"):
        verifier().verify(raw)


def test_the_verifier_remembers_a_bounded_number_of_tokens() -> None:
    check = verifier()
    check.cache_size = 3
    tokens = [token(subject=f"user-{i}") for i in range(5)]
    for raw in tokens:
        check.verify(raw)
    assert len(check._verified) == 3
    assert all(check.verify(raw).subject == f"user-{i}" for i, raw in enumerate(tokens))
