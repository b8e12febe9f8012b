"""Issue (locally) and verify bearer tokens.

Claims: ``sub``, ``org_id``, ``org_name``, ``org_type``, ``uscc`` (optional),
``scope`` (space-separated), plus ``iss``, ``aud``, ``exp``, ``iat``. In production the
tokens come from the platform's OpenID Connect provider: set ``<PREFIX>AUTH_JWT_KEY`` to
its public key (PEM) and ``<PREFIX>AUTH_JWT_ALGORITHM`` to RS256 or ES256. Locally the
services share an HS256 development secret and ``python -m shared.auth`` issues tokens.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any

import jwt

from shared.auth.principal import DEFAULT_SCOPES, OrgType, Principal
from shared.settings import ServiceSettings


class TokenError(Exception):
    """The token is missing, malformed, expired, or not ours; the message says which."""


class TokenVerifier:
    """Checks signature, issuer, audience and expiry, and remembers tokens it has
    verified: a front end sends the same token with every call, and checking an RS256 or
    ES256 signature each time costs more than some of the queries behind it. A token is
    an immutable string (the same text always carries the same claims); its expiry is
    checked again on every use."""

    cache_size = 4096

    def __init__(
        self,
        key: str,
        algorithm: str,
        issuer: str,
        audience: str,
        now: Callable[[], float] = time.time,
    ) -> None:
        """``now``: the real time in epoch seconds (a test passes another); expiry is
        infrastructure, so it never follows a service's controllable clock."""
        self._now = now
        self._key = key
        self._algorithm = algorithm
        self._issuer = issuer
        self._audience = audience
        self._verified: dict[str, tuple[Principal, float]] = {}  # token -> (principal, exp)

    @classmethod
    def from_settings(cls, settings: ServiceSettings) -> TokenVerifier:
        return cls(
            settings.auth_jwt_key.get_secret_value(),
            settings.auth_jwt_algorithm,
            settings.auth_issuer,
            settings.auth_audience,
        )

    def verify(self, token: str) -> Principal:
        known = self._verified.get(token)
        if known is not None:
            principal, expires = known
            if self._now() < expires:
                return principal
            # Kept: the cache is bounded, and the same answer is due every time.
            raise TokenError("token has expired")
        principal, expires = self._decode(token)
        if self._now() >= expires:
            raise TokenError("token has expired")
        if len(self._verified) >= self.cache_size:
            del self._verified[next(iter(self._verified))]  # the oldest entry
        self._verified[token] = (principal, expires)
        return principal

    def _decode(self, token: str) -> tuple[Principal, float]:
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                self._key,
                algorithms=[self._algorithm],
                issuer=self._issuer,
                audience=self._audience,
                options={"require": ["exp", "sub", "iss", "aud"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise TokenError("token has expired") from exc
        except jwt.InvalidTokenError as exc:
            raise TokenError(f"token is not valid: {exc}") from exc
        try:
            org_type = OrgType(claims["org_type"])
            principal = Principal(
                subject=str(claims["sub"]),
                org_id=str(claims["org_id"]),
                org_name=str(claims["org_name"]),
                org_type=org_type,
                uscc=claims.get("uscc"),
                scopes=frozenset(str(claims.get("scope", "")).split()),
            )
        except (KeyError, ValueError) as exc:
            raise TokenError(f"token lacks a valid organisation claim: {exc}") from exc
        return principal, float(claims["exp"])


def issue_token(
    settings: ServiceSettings,
    *,
    org_id: str,
    org_name: str,
    org_type: OrgType,
    uscc: str | None = None,
    scopes: list[str] | None = None,
    ttl_seconds: int = 12 * 3600,
    subject: str | None = None,
) -> str:
    """Sign a token with the settings' key (development and tests; HS256 secrets only).

    ``scopes``: exactly the scopes the token carries; ``None`` gives the organisation
    type's defaults (:data:`shared.auth.principal.DEFAULT_SCOPES`)."""
    if scopes is None:
        scopes = [scope.value for scope in DEFAULT_SCOPES[org_type]]
    now = int(time.time())
    claims: dict[str, Any] = {
        "sub": subject or f"{org_id}:{uuid.uuid4().hex[:8]}",
        "org_id": org_id,
        "org_name": org_name,
        "org_type": org_type.value,
        "scope": " ".join(scopes),
        "iss": settings.auth_issuer,
        "aud": settings.auth_audience,
        "iat": now,
        "exp": now + ttl_seconds,
    }
    if uscc:
        claims["uscc"] = uscc
    return jwt.encode(claims, settings.auth_jwt_key.get_secret_value(), settings.auth_jwt_algorithm)
