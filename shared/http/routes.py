"""A route for the busiest read endpoints: served without FastAPI's per-request machinery."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any, cast

from fastapi import Request, Response
from fastapi.routing import APIRoute

DirectEndpoint = Callable[[Request], Coroutine[Any, Any, Response]]


class DirectRoute(APIRoute):
    """A route whose endpoint takes the :class:`Request` and returns the
    :class:`Response` itself (``APIRouter(route_class=DirectRoute)``).

    On every request FastAPI resolves an endpoint's dependencies (working out each one's
    cache key and kind) and prepares to serialise its result: for search, ~70 µs of the
    ~370 µs of CPU the service spent on a request (docs/benchmarks.md). A direct
    endpoint calls what its dependencies would have been (``authenticate``, a
    ``QueryModel``) and writes its body itself; ``openapi_extra`` documents them
    (``QueryModel.openapi``, ``shared.auth.dependencies.BEARER_SECURITY``). Errors go
    through the app's problem+json handlers as from any endpoint. For the hot read paths
    only: everywhere else, dependencies read better.

    Nothing FastAPI would inject reaches the endpoint, so one that declares more than the
    request (a parameter, a dependency of its own or of its router) is refused when the
    route is built, rather than called without it."""

    def get_route_handler(self) -> DirectEndpoint:
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
        return cast(DirectEndpoint, self.endpoint)
