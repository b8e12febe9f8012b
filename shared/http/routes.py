"""Route classes every service's routers use.

:class:`StrictRoute` refuses, before the endpoint runs, a query parameter the route does
not declare (``?application_numbr=...`` must not answer the unfiltered list): the names it
takes are worked out once, when the route is built, from what it declares. It refuses the
NUL character in every query and path parameter, and NUL or a lone surrogate in every
string and key of a JSON body: PostgreSQL cannot store either.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Callable, Coroutine, Iterable, Iterator
from typing import Any

from fastapi import Request, Response
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from pydantic import AliasChoices, AliasPath, BaseModel
from pydantic.fields import FieldInfo

Endpoint = Callable[[Request], Coroutine[Any, Any, Response]]


class StrictRoute(APIRoute):
    """A route that answers 422 to a query parameter it does not declare, naming it
    (``query.<name>``, code ``extra_forbidden``) like any other invalid parameter, and
    to U+0000 in a query or path parameter or anywhere in a JSON body (``body.<path>``,
    code ``nul_character``) or a lone surrogate in a JSON body (``lone_surrogate``). All
    are checked before the endpoint runs, so before authentication too.

    The names it takes are its query parameters, those of its dependencies and of its
    query models (by alias), and the query parameters documented in ``openapi_extra``
    (how an endpoint that reads the query string itself declares it); a query model that allows
    extra fields lets any name through. They are read from the route's own dependant: a
    router included with dependencies of its own must declare their parameters on the
    routes. ``create_http_app`` refuses a router whose routes are not strict."""

    def get_route_handler(self) -> Endpoint:
        return _guarded(self._handler(), _declared_query_names(self))

    def _handler(self) -> Endpoint:
        """The handler the guard runs before: FastAPI's own (a subclass may serve the
        endpoint otherwise)."""
        return super().get_route_handler()


def _guarded(handler: Endpoint, query_names: frozenset[str] | None) -> Endpoint:
    takes = ", ".join(sorted(query_names or ())) or "none"
    unknown = f"unknown query parameter; this endpoint takes: {takes}"

    async def guard(request: Request) -> Response:
        errors: list[dict[str, Any]] = []
        if request.scope["query_string"]:
            for name, value in request.query_params.multi_items():
                if query_names is not None and name not in query_names:
                    errors.append(_error("extra_forbidden", ("query", name), unknown, value))
                elif "\x00" in value:
                    errors.append(_nul(("query", name), value))
        for name, value in request.path_params.items():
            if isinstance(value, str) and "\x00" in value:
                errors.append(_nul(("path", name), value))
        if request.method in _WITH_BODY and _may_be_json(request.headers.get("content-type")):
            errors.extend(await _unstorable_in_body(request))
        if errors:
            raise RequestValidationError(errors)
        return await handler(request)

    return guard


# --- characters that cannot be stored ----------------------------------------------------------
# PostgreSQL cannot store U+0000 in text (nor in jsonb), so no string may carry it: not a
# query or path parameter, not a string or key anywhere in a JSON body. Nor can it store a
# lone UTF-16 surrogate (U+D800-U+DFFF), which JSON can escape (``"\\ud800"``) but which is
# no character: UTF-8 cannot encode it. (A query or path parameter cannot carry one: its
# percent-decoding is UTF-8.) Other control characters are stored as sent and returned
# escaped, but for the names and titles that must show something
# (shared.http.types.VisibleStr), which refuse them.

_WITH_BODY = frozenset({"POST", "PUT", "PATCH"})
_NUL_MESSAGE = "the NUL character (U+0000) is not allowed"
_SURROGATE_MESSAGE = "a lone surrogate (U+D800 to U+DFFF) is not a character"
# JSON can carry U+0000 or a surrogate only escaped: a body without such an escape has none.
_SUSPECT_ESCAPE = re.compile(rb"\\u(?:0000|[dD][89a-fA-F])")
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _error(kind: str, loc: tuple[str | int, ...], message: str, value: Any) -> dict[str, Any]:
    return {"type": kind, "loc": loc, "msg": message, "input": value}


def _nul(loc: tuple[str | int, ...], value: Any) -> dict[str, Any]:
    return _error("nul_character", loc, _NUL_MESSAGE, value)


def _unstorable(loc: tuple[str | int, ...], value: str) -> dict[str, Any]:
    if "\x00" in value:
        return _nul(loc, value)
    return _error("lone_surrogate", loc, _SURROGATE_MESSAGE, value)


def _may_be_json(content_type: str | None) -> bool:
    """Whether the body may be read as JSON (by FastAPI, or by an endpoint reading the raw
    body whatever its declared type)."""
    if content_type is None:
        return True
    media = content_type.partition(";")[0].strip().lower()
    return media == "application/json" or (
        media.startswith("application/") and media.endswith("+json")
    )


async def _unstorable_in_body(request: Request) -> list[dict[str, Any]]:
    # The request caches its body and parsed JSON: the endpoint reads neither twice.
    if not _SUSPECT_ESCAPE.search(await request.body()):
        return []
    try:
        document = await request.json()
    except (ValueError, RecursionError):
        return []  # not JSON: the endpoint says so
    return [_unstorable(("body", *loc), value) for loc, value in _unstorable_locations(document)]


def _unstorable_locations(document: Any) -> list[tuple[tuple[str | int, ...], str]]:
    """Where a string or a key holding U+0000 or a lone surrogate is, in document order.
    (A surrogate pair escaped in JSON is decoded to the one character it encodes.)"""
    found: list[tuple[tuple[str | int, ...], str]] = []
    pending: list[tuple[tuple[str | int, ...], Any]] = [((), document)]
    while pending:  # iterative: JSON may nest deeper than Python recurses
        loc, value = pending.pop()
        if isinstance(value, str):
            if _UNSTORABLE.search(value):
                found.append((loc, value))
        elif isinstance(value, dict):
            # A key holding either is reported in place of what it names.
            children = [((*loc, k), k if _UNSTORABLE.search(k) else v) for k, v in value.items()]
            pending.extend(reversed(children))
        elif isinstance(value, list):
            pending.extend(reversed([((*loc, i), child) for i, child in enumerate(value)]))
    return found


# --- what a route declares ------------------------------------------------------------------


def _declared_query_names(route: APIRoute) -> frozenset[str] | None:
    """The query parameter names ``route`` takes; None when it takes any."""
    names: set[str] = set()
    for field in _query_fields(route.dependant):
        model = _model_of(field.field_info.annotation)
        if model is None:
            names.update(_aliases(field.name, field.field_info))
            continue
        if model.model_config.get("extra") == "allow":
            return None
        by_name = model.model_config.get("validate_by_name") or model.model_config.get(
            "populate_by_name"
        )
        for name, info in model.model_fields.items():
            names.update(_aliases(name, info))
            if by_name:
                names.add(name)
    documented = (route.openapi_extra or {}).get("parameters", ())
    names.update(p["name"] for p in documented if p.get("in") == "query")
    return frozenset(names)


def _query_fields(dependant: Dependant) -> Iterator[Any]:
    pending = [dependant]
    while pending:
        current = pending.pop()
        yield from current.query_params
        pending.extend(current.dependencies)


def _model_of(annotation: Any) -> type[BaseModel] | None:
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        members = [a for a in typing.get_args(annotation) if a is not type(None)]
        annotation = members[0] if len(members) == 1 else None
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def _aliases(name: str, info: FieldInfo) -> Iterable[str]:
    validation = info.validation_alias
    if isinstance(validation, str):
        return (validation,)
    if isinstance(validation, AliasChoices):
        return [c for c in validation.choices if isinstance(c, str)]
    if isinstance(validation, AliasPath):
        return (str(validation.path[0]),)
    return (info.alias or name,)
