"""FastAPI dependencies: ``CurrentPrincipal`` and role guards."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.openapi.models import HTTPBearer as HTTPBearerModel
from fastapi.security.base import SecurityBase

from shared.auth.principal import OrgType, Principal, Scope
from shared.auth.tokens import TokenError, TokenVerifier
from shared.db.uow import acting_org
from shared.errors import Forbidden, Unauthorized

READ_METHODS = frozenset({"GET", "HEAD"})


def lacks_scope(scope: Scope) -> str:
    return f"token lacks the scope {scope.value}"


class BearerAuthentication(SecurityBase):
    """The caller's :class:`Principal`, from ``Authorization: Bearer <JWT>``; a read
    (``GET``) needs a token with ``ipmarket:read``.

    One dependency that is also the OpenAPI security scheme (``HTTPBearer``). FastAPI
    resolves every dependency of an endpoint on every request; the usual pair
    (``HTTPBearer`` for the header, a function verifying it) costs two."""

    def __init__(self) -> None:
        self.model = HTTPBearerModel(description="Bearer token (JWT) of the organisation.")
        self.scheme_name = "HTTPBearer"

    async def __call__(self, request: Request) -> Principal:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise Unauthorized("send `Authorization: Bearer <token>`")
        verifier: TokenVerifier = request.app.state.token_verifier
        try:
            principal = verifier.verify(token)
        except TokenError as exc:
            raise Unauthorized(str(exc)) from exc
        # Every read needs ipmarket:read; every change names the scope it needs (``require``).
        if request.method in READ_METHODS and not principal.has_scope(Scope.READ):
            raise Forbidden(lacks_scope(Scope.READ))
        acting_org.set(principal.org_id)
        return principal


authenticate = BearerAuthentication()
# What an endpoint that calls ``authenticate`` itself (listing's search, served by a
# DirectRoute) documents as its ``security`` in OpenAPI.
BEARER_SECURITY: list[dict[str, list[str]]] = [{authenticate.scheme_name: []}]


CurrentPrincipal = Annotated[Principal, Depends(authenticate)]


def require(
    *org_types: OrgType, scope: Scope | None = None
) -> Callable[..., Coroutine[Any, Any, Principal]]:
    """A dependency that admits only the given organisation types (any, if none given)."""

    async def guard(principal: CurrentPrincipal) -> Principal:
        if org_types and principal.org_type not in org_types:
            allowed = ", ".join(t.value for t in org_types)
            raise Forbidden(
                f"organisation type {principal.org_type.value} may not do this; allowed: {allowed}"
            )
        if scope is not None and not principal.has_scope(scope):
            raise Forbidden(lacks_scope(scope))
        return principal

    return guard
