"""Expected errors, framework-free so domain layers can raise them.

Every expected error is a :class:`ProblemError` carrying its HTTP status, a stable slug
(the problem ``type`` URI is ``PROBLEM_BASE + slug``) and a title; ``shared.http.problems``
renders them as RFC 9457 ``application/problem+json``.
"""

from __future__ import annotations

from typing import Any, ClassVar

PROBLEM_BASE = "https://ipmarket.example/problems/"


def problem_type(slug: str) -> str:
    return PROBLEM_BASE + slug


class ProblemError(Exception):
    """Base of every expected error. Subclasses set ``status``, ``slug`` and ``title``."""

    status: ClassVar[int] = 400
    slug: ClassVar[str] = "bad-request"
    title: ClassVar[str] = "Bad request"

    def __init__(self, detail: str, **extensions: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extensions = extensions

    @property
    def type(self) -> str:
        return problem_type(self.slug)


class NotFound(ProblemError):
    status = 404
    slug = "not-found"
    title = "Resource not found"


class Conflict(ProblemError):
    status = 409
    slug = "conflict"
    title = "Conflict with the current state"


class Forbidden(ProblemError):
    status = 403
    slug = "forbidden"
    title = "Not allowed for this organisation"


class Unauthorized(ProblemError):
    status = 401
    slug = "unauthorized"
    title = "Authentication required"


class InvalidRequest(ProblemError):
    status = 422
    slug = "validation-error"
    title = "Request is not valid"


class FieldRuleViolation(InvalidRequest):
    """A field refused by a rule with a problem type of its own (a check digit), also when
    request validation finds it: a pydantic error whose context carries the slug as
    ``problem`` is rendered with this type (``shared.http.problems``)."""

    by_slug: ClassVar[dict[str, type[FieldRuleViolation]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        FieldRuleViolation.by_slug[cls.slug] = cls


class ApplicationNumberCheckDigit(FieldRuleViolation):
    slug = "application-number-check-digit"
    title = "The application number's check digit does not match its digits"


class UsccCheckCharacter(FieldRuleViolation):
    slug = "uscc-check-character"
    title = "The unified social credit code's check character does not match"


class RuleViolation(ProblemError):
    """A business rule refused the request; subclasses name the rule in their slug."""

    status = 422
    slug = "rule-violation"
    title = "Refused by a business rule"


class IdempotencyKeyInUse(ProblemError):
    status = 409
    slug = "idempotency-key-in-use"
    title = "A request with this Idempotency-Key is being processed"


class IdempotencyKeyReused(ProblemError):
    status = 422
    slug = "idempotency-key-reused"
    title = "Idempotency-Key reused with a different request"


class IdempotencyResponseUnavailable(ProblemError):
    status = 410
    slug = "idempotency-response-unavailable"
    title = "The stored answer to this Idempotency-Key cannot be replayed"


class UploadTooLarge(ProblemError):
    status = 413
    slug = "upload-too-large"
    title = "The upload is larger than this kind of upload allows"


class UploadTooManyRows(ProblemError):
    status = 413
    slug = "upload-too-many-rows"
    title = "The upload has more rows than this kind of upload allows"


class UploadKeyReused(ProblemError):
    status = 409
    slug = "upload-key-reused"
    title = "Idempotency-Key already names an upload of a different file"


class UploadHeaderInvalid(InvalidRequest):
    slug = "upload-header-invalid"
    title = "The upload's header (its column names) is not valid"


class UploadEncodingUnknown(InvalidRequest):
    slug = "upload-encoding-unknown"
    title = "The upload's character encoding is unknown or not supported"


class UploadMediaTypeUnsupported(ProblemError):
    status = 415
    slug = "upload-media-type-unsupported"
    title = "The upload's format is not CSV or JSON Lines"
