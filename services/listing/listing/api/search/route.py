"""The route class of listing's busiest reads (search): served without FastAPI's
per-request machinery. It lives beside its only user; docs/benchmarks.md tells what it
saves."""

from __future__ import annotations

from typing import cast

from shared.http.routes import Endpoint, StrictRoute


class DirectRoute(StrictRoute):
    """A route whose endpoint takes the :class:`Request` and returns the
    :class:`Response` itself (``APIRouter(route_class=DirectRoute)``).

    On every request FastAPI resolves an endpoint's dependencies (working out each one's
    cache key and kind) and prepares to serialise its result: for search, a fair share of
    the CPU the service spends on a request. A direct endpoint calls what its
    dependencies would have been (``authenticate``, a :class:`QueryModel`) and writes its
    body itself; ``openapi_extra`` documents them (``QueryModel.openapi``,
    ``shared.auth.dependencies.BEARER_SECURITY``), and the query parameters documented
    there are the ones it takes. Errors go through the
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
