"""Route classes every service's routers use.

:class:`StrictRoute` refuses, before the endpoint runs, a query parameter the route does
not declare (``?application_numbr=...`` must not answer the unfiltered list): the names it
takes are worked out once, when the route is built, from what it declares.
:class:`DirectRoute` is a strict route for the busiest read endpoints, served without
FastAPI's per-request machinery.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Coroutine, Iterable, Iterator
from typing import Any, cast

from fastapi import Request, Response
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from pydantic import AliasChoices, AliasPath, BaseModel
from pydantic.fields import FieldInfo

Endpoint = Callable[[Request], Coroutine[Any, Any, Response]]
DirectEndpoint = Endpoint


class StrictRoute(APIRoute):
    """A route that answers 422 to a query parameter it does not declare, naming it
    (``query.<name>``, code ``extra_forbidden``) like any other invalid parameter.

    The names it takes are its query parameters, those of its dependencies and of its
    query models (by alias), and the query parameters documented in ``openapi_extra``
    (how a :class:`DirectRoute` declares its ``QueryModel``); a query model that allows
    extra fields lets any name through. They are read from the route's own dependant: a
    router included with dependencies of its own must declare their parameters on the
    routes. ``create_http_app`` refuses a router whose routes are not strict."""

    def get_route_handler(self) -> Endpoint:
        return _guarded(self._handler(), _declared_query_names(self))

    def _handler(self) -> Endpoint:
        """The handler the guard runs before: FastAPI's own."""
        return super().get_route_handler()


class DirectRoute(StrictRoute):
    """A route whose endpoint takes the :class:`Request` and returns the
    :class:`Response` itself (``APIRouter(route_class=DirectRoute)``).

    On every request FastAPI resolves an endpoint's dependencies (working out each one's
    cache key and kind) and prepares to serialise its result: for search, ~70 µs of the
    ~370 µs of CPU the service spent on a request (docs/benchmarks.md). A direct
    endpoint calls what its dependencies would have been (``authenticate``, a
    ``QueryModel``) and writes its body itself; ``openapi_extra`` documents them
    (``QueryModel.openapi``, ``shared.auth.dependencies.BEARER_SECURITY``), and the
    query parameters documented there are the ones it takes. Errors go through the
    app's problem+json handlers as from any endpoint. For the hot read paths only:
    everywhere else, dependencies read better.

    Nothing FastAPI would inject reaches the endpoint, so one that declares more than the
    request (a parameter, a dependency of its own or of its router) is refused when the
    route is built, rather than called without it."""

    def _handler(self) -> Endpoint:
        d = self.dependant
        declared = [*d.path_params, *d.query_params, *d.header_params, *d.cookie_params]
        if d.dependencies or declared or d.body_params:
            names = [p.name for p in declared + d.body_params] + [
                getattr(sub.call, "__name__", type(sub.call).__name__) for sub in d.dependencies
            ]
            raise TypeError(
                f"{self.path}: a DirectRoute endpoint takes only the Request, not {names}; "
                "it reads its parameters and calls its dependencies itself"
            )
        return cast(Endpoint, self.endpoint)


def _guarded(handler: Endpoint, query_names: frozenset[str] | None) -> Endpoint:
    if query_names is None:
        return handler
    takes = ", ".join(sorted(query_names)) or "none"
    message = f"unknown query parameter; this endpoint takes: {takes}"

    async def guard(request: Request) -> Response:
        if request.scope["query_string"]:
            unknown = [
                {
                    "type": "extra_forbidden",
                    "loc": ("query", name),
                    "msg": message,
                    "input": value,
                }
                for name, value in request.query_params.multi_items()
                if name not in query_names
            ]
            if unknown:
                raise RequestValidationError(unknown)
        return await handler(request)

    return guard


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
