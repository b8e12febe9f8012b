"""RFC 9457 problem details: one base exception carrying its status and a stable type.

Raise a subclass of :class:`ProblemError` anywhere in a service (domain errors are mapped
to it in the service layer); the global handlers render ``application/problem+json``.
Request validation errors, unknown routes and methods are rendered the same way, and an
unexpected exception becomes a 500 problem without internals.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from shared.db.idempotency import IdempotencyConflict
from shared.domain.calendar import CalendarYearNotCovered
from shared.errors import (
    FieldRuleViolation,
    IdempotencyKeyInUse,
    InvalidRequest,
    ProblemError,
    problem_type,
)

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"


class Problem(BaseModel):
    """The body of every error response (RFC 9457)."""

    type: str = Field(examples=[problem_type("validation-error")])
    title: str = Field(examples=["Request is not valid"])
    status: int = Field(examples=[422])
    detail: str = Field(examples=["body.application_number: check digit is 7 but 3 was given"])
    instance: str | None = Field(default=None, examples=["/v1/patents"])
    errors: list[dict[str, Any]] | None = Field(
        default=None,
        description="Each invalid field, for validation errors: `field`, `message`, `code`, "
        "and `type` when a rule with a problem type of its own refused it (then the "
        "problem's `type` too, if it is the only rule that failed).",
    )


class ProblemResponse(JSONResponse):
    """``application/problem+json`` whose text survives what a client sent: a field name
    or a message may quote input, and input may hold a lone surrogate, which UTF-8 cannot
    encode; it is written as its JSON escape (``\\ud800``) instead of failing the answer."""

    media_type = PROBLEM_JSON

    def render(self, content: Any) -> bytes:
        text = json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        return text.encode("utf-8", "backslashreplace")


def problem_response(
    status: int,
    slug: str,
    title: str,
    detail: str,
    instance: str | None = None,
    headers: dict[str, str] | None = None,
    **extensions: Any,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": problem_type(slug),
        "title": title,
        "status": status,
        "detail": detail,
    }
    if instance:
        body["instance"] = instance
    body.update({k: v for k, v in extensions.items() if v is not None})
    return ProblemResponse(body, status_code=status, headers=headers)


def _location(loc: tuple[Any, ...] | list[Any]) -> str:
    return ".".join(str(part) for part in loc)


async def _on_problem(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ProblemError)
    headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
    # An error that knows when to try again (``retry_after`` seconds) says so in the header
    # clients and proxies read, too.
    if isinstance(retry := exc.extensions.get("retry_after"), int):
        headers = {"Retry-After": str(retry)}
    return problem_response(
        exc.status, exc.slug, exc.title, exc.detail, request.url.path, headers, **exc.extensions
    )


async def _on_validation(request: Request, exc: Exception) -> JSONResponse:
    """Each invalid field in ``errors``; one refused by a rule with a problem type of its
    own (a check digit) carries that ``type``, which is the problem's when every error is
    that rule's."""
    assert isinstance(exc, RequestValidationError)
    errors: list[dict[str, Any]] = []
    rules: set[type[FieldRuleViolation] | None] = set()
    for e in exc.errors():
        error = {
            "field": _location(e.get("loc", ())),
            "message": e.get("msg", ""),
            "code": e.get("type"),
        }
        rule = FieldRuleViolation.by_slug.get((e.get("ctx") or {}).get("problem", ""))
        if rule is not None:
            error["type"] = problem_type(rule.slug)
        rules.add(rule)
        errors.append(error)
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors[:5]) or "invalid request"
    slug, title = InvalidRequest.slug, InvalidRequest.title
    if len(rules) == 1 and (rule := next(iter(rules))) is not None:
        slug, title = rule.slug, rule.title
    return problem_response(422, slug, title, detail, request.url.path, errors=errors)


async def _on_http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    slugs = {404: "not-found", 405: "method-not-allowed", 401: "unauthorized", 403: "forbidden"}
    slug = slugs.get(exc.status_code, "http-error")
    title = {404: "Resource not found", 405: "Method not allowed"}.get(exc.status_code, "Error")
    return problem_response(
        exc.status_code, slug, title, str(exc.detail), request.url.path, dict(exc.headers or {})
    )


async def _on_idempotency_conflict(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, IdempotencyConflict)
    return problem_response(
        409,
        IdempotencyKeyInUse.slug,
        IdempotencyKeyInUse.title,
        str(exc),
        request.url.path,
    )


async def _on_calendar_year_missing(request: Request, exc: Exception) -> JSONResponse:
    """A deadline counted in working days reached a year the working-day calendar does not
    list: the operator must add that year's State Council notice. Nothing was recorded;
    the same request succeeds once the year is added."""
    assert isinstance(exc, CalendarYearNotCovered)
    log.error("working-day calendar lacks a year", extra={"year": exc.year})
    return problem_response(
        503,
        "working-calendar-year-missing",
        "The working-day calendar does not cover a year this deadline falls in",
        str(exc),
        request.url.path,
        year=exc.year,
    )


async def _on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error", extra={"path": request.url.path})
    return problem_response(
        500,
        "internal-error",
        "Internal error",
        "The request failed unexpectedly; it was logged with its trace id.",
        request.url.path,
    )


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ProblemError, _on_problem)
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(StarletteHTTPException, _on_http)
    app.add_exception_handler(IdempotencyConflict, _on_idempotency_conflict)
    app.add_exception_handler(CalendarYearNotCovered, _on_calendar_year_missing)
    app.add_exception_handler(Exception, _on_unexpected)


# Documented on every endpoint, so OpenAPI shows the problem body for errors.
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": Problem, "content": {PROBLEM_JSON: {}}, "description": text}
    for status, text in {
        401: "Missing or invalid bearer token.",
        403: "The token's organisation may not do this.",
        422: "Invalid input or refused by a rule; `type` names the rule.",
    }.items()
}
