"""Bearer tokens: what the verifier accepts, refuses, and remembers."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import httpx
import jwt
import pytest
from fastapi import FastAPI

from listing.api.deps import Operator
from shared.auth import OrgType, Scope
from shared.auth.principal import DEFAULT_SCOPES
from shared.auth.tokens import TokenError, TokenVerifier, issue_token
from shared.http.problems import install_problem_handlers
from shared.settings import ServiceSettings

SETTINGS = ServiceSettings()
ROOT = Path(__file__).resolve().parents[2]


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
    now = [time.time()]
    check = TokenVerifier(
        SETTINGS.auth_jwt_key.get_secret_value(),
        SETTINGS.auth_jwt_algorithm,
        SETTINGS.auth_issuer,
        SETTINGS.auth_audience,
        now=lambda: now[0],
    )
    raw = token(ttl_seconds=60)
    check.verify(raw)
    now[0] += 61
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


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    """``python -m shared.auth`` as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "shared.auth", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("org_type", list(OrgType))
def test_a_token_carries_its_organisation_types_default_scopes(org_type: OrgType) -> None:
    principal = verifier().verify(
        issue_token(SETTINGS, org_id="org-1", org_name="某机构", org_type=org_type)
    )
    assert principal.scopes == {scope.value for scope in DEFAULT_SCOPES[org_type]}
    assert principal.has_scope(Scope.READ)
    # Only the operator operates; every type writes (the regulator only credit
    # supervision's records: tests/architecture/test_scopes.py).
    assert principal.has_scope(Scope.OPERATE) == (org_type is OrgType.OPERATOR)
    assert principal.has_scope(Scope.WRITE)


def test_named_scopes_replace_the_defaults() -> None:
    raw = issue_token(
        SETTINGS,
        org_id="org-ops",
        org_name="平台运营方",
        org_type=OrgType.OPERATOR,
        scopes=[Scope.READ.value],
    )
    principal = verifier().verify(raw)
    assert principal.scopes == {Scope.READ.value}


def operator_endpoint() -> FastAPI:
    """An endpoint guarded like listing's operator-only actions (``listing.api.deps``)."""
    app = FastAPI()
    app.state.token_verifier = verifier()
    install_problem_handlers(app)

    @app.post("/operator-only")
    async def act(caller: Operator) -> str:
        return caller.org_id

    return app


async def call_operator_endpoint(raw: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=operator_endpoint())
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return await client.post("/operator-only", headers={"Authorization": f"Bearer {raw}"})


async def test_an_operator_token_from_the_command_line_passes_operator_checks() -> None:
    issued = cli("--org-type", "operator", "--name", "平台运营方", "--org-id", "org-ops")
    assert issued.returncode == 0, issued.stderr
    reply = await call_operator_endpoint(issued.stdout.strip())
    assert reply.status_code == 200, reply.text
    assert reply.json() == "org-ops"
    # --scope replaces the defaults: an operator token without ipmarket:operate is refused.
    narrowed = cli("--org-type", "operator", "--name", "平台运营方", "--scope", "ipmarket:read")
    assert narrowed.returncode == 0, narrowed.stderr
    refused = await call_operator_endpoint(narrowed.stdout.strip())
    assert refused.status_code == 403
    assert "ipmarket:operate" in refused.json()["detail"]


def test_help_lists_the_scopes_and_each_organisation_types_defaults() -> None:
    shown = cli("--help")
    assert shown.returncode == 0, shown.stderr
    text = shown.stdout
    for scope in Scope:
        assert scope.value in text
    lines = text.splitlines()
    for org_type in OrgType:
        defaults = " ".join(scope.value for scope in DEFAULT_SCOPES[org_type])
        assert any(line.split() == [org_type.value, *defaults.split()] for line in lines), org_type


def test_an_unknown_scope_is_refused_by_the_command_line() -> None:
    refused = cli("--org-type", "operator", "--name", "平台运营方", "--scope", "ipmarket:operator")
    assert refused.returncode == 2
    assert "ipmarket:operate" in refused.stderr
