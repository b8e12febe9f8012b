"""Who is signed in to the console, and the checks on every form it posts.

The session is the user's own bearer token in an HttpOnly, SameSite=Strict cookie: no
script on the page can read it, and no other site's page can make the browser send it.
It is checked on every request as the APIs check it (signature, issuer, audience,
expiry). Every POST also carries a per-session CSRF token in a hidden field: an HMAC of
the session token under the services' own key, so it needs no storage and changes with
every login.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from fastapi import Request
from fastapi.responses import Response

from shared.auth import OrgType, Principal, Scope, TokenError, TokenVerifier

SESSION_COOKIE = "ipmarket_console"
LOGIN_COOKIE = "ipmarket_console_login"
COOKIE_PATH = "/console"

PATENTEES = frozenset(
    {OrgType.UNIVERSITY, OrgType.RESEARCH_INSTITUTE, OrgType.ENTERPRISE, OrgType.INDIVIDUAL}
)
OVERSEERS = frozenset({OrgType.REGULATOR, OrgType.OPERATOR})

ROLE_NAMES: dict[OrgType, str] = {
    OrgType.UNIVERSITY: "高校 university",
    OrgType.RESEARCH_INSTITUTE: "科研机构 research institute",
    OrgType.ENTERPRISE: "企业 enterprise",
    OrgType.INDIVIDUAL: "个人 individual",
    OrgType.BANK: "银行 bank",
    OrgType.INSURER: "保险机构 insurer",
    OrgType.EXCHANGE: "交易机构 exchange",
    OrgType.MEDIATOR: "技术经纪 mediator",
    OrgType.REGULATOR: "监管部门 regulator",
    OrgType.OPERATOR: "平台运营方 operator",
}


@dataclass(frozen=True)
class Session:
    token: str
    principal: Principal
    csrf: str

    @property
    def role(self) -> str:
        return ROLE_NAMES[self.principal.org_type]

    @property
    def sees_network(self) -> bool:
        return self.principal.org_type in (OrgType.OPERATOR, OrgType.EXCHANGE)

    @property
    def sees_statistics(self) -> bool:
        kind = self.principal.org_type
        return kind in OVERSEERS or kind in PATENTEES or kind is OrgType.BANK

    @property
    def sees_inventory(self) -> bool:
        kind = self.principal.org_type
        return kind in OVERSEERS or kind in PATENTEES

    @property
    def is_operator(self) -> bool:
        return self.principal.org_type is OrgType.OPERATOR


class SignInRefused(Exception):
    """The pasted token cannot open a session; the message says why, in Chinese."""


def _csrf_for(request: Request, token: str) -> str:
    key = request.app.state.settings.auth_jwt_key.get_secret_value().encode()
    return hmac.new(key, b"console-csrf:" + token.encode(), hashlib.sha256).hexdigest()


def principal_of(request: Request, token: str) -> Principal:
    """The token's principal, checked as the APIs check it; :class:`SignInRefused` if not."""
    verifier: TokenVerifier = request.app.state.token_verifier
    try:
        principal = verifier.verify(token)
    except TokenError as exc:
        raise SignInRefused(f"令牌无效：{exc}") from exc
    if not principal.has_scope(Scope.READ):
        raise SignInRefused(f"令牌缺少 {Scope.READ.value} 权限，无法查看控制台")
    return principal


def current_session(request: Request) -> Session | None:
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    try:
        principal = principal_of(request, token)
    except SignInRefused:
        return None
    return Session(token, principal, _csrf_for(request, token))


def csrf_matches(session: Session, sent: str | None) -> bool:
    return sent is not None and hmac.compare_digest(session.csrf, sent)


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def keep_cookie(request: Request, response: Response, name: str, value: str) -> None:
    """A cookie of the console's: no script reads it, no other site's page sends it."""
    response.set_cookie(
        name, value, path=COOKIE_PATH, httponly=True, samesite="strict", secure=_secure(request)
    )


def keep_session(request: Request, response: Response, token: str) -> None:
    keep_cookie(request, response, SESSION_COOKIE, token)
    response.delete_cookie(LOGIN_COOKIE, path=COOKIE_PATH)


def end_session(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path=COOKIE_PATH, httponly=True, samesite="strict")


def login_nonce(request: Request) -> str:
    """The login form's CSRF token (there is no session yet): one random value kept in a
    cookie (:func:`keep_login_nonce`) and in the form, compared when the form comes back."""
    return request.cookies.get(LOGIN_COOKIE) or secrets.token_urlsafe(24)


def keep_login_nonce(request: Request, response: Response, nonce: str) -> None:
    keep_cookie(request, response, LOGIN_COOKIE, nonce)


def login_nonce_matches(request: Request, sent: str | None) -> bool:
    kept = request.cookies.get(LOGIN_COOKIE)
    return bool(kept) and sent is not None and hmac.compare_digest(kept or "", sent)
