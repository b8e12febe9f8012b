"""Idempotency-Key claims, recorded in the same transaction as the effect they guard.

The HTTP middleware (``shared.http.idempotency``) opens a claim for a POST that carries
an ``Idempotency-Key``; the unit of work inserts the claim's row when it commits, so a
request's effect and its key commit together or not at all. Two concurrent requests with
one key cannot both commit: the second hits the primary key and rolls back.

A service whose answers carry secrets gives its runtime a :class:`ResponseSealer`; the
middleware then stores every answer sealed (``response_sealed``) and opens it to replay.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Protocol


class ResponseSealer(Protocol):
    """Encrypts the answers kept for replay (``ServiceRuntime(response_sealer=...)``)."""

    def seal(self, body: bytes) -> bytes: ...

    def open(self, sealed: bytes) -> bytes:
        """The body ``seal`` was given; ``ValueError`` if it cannot be decrypted (the key
        that sealed it is no longer configured)."""
        ...


class IdempotencyConflict(Exception):
    """Another request with the same Idempotency-Key committed first."""

    def __init__(self, key: str) -> None:
        super().__init__(f"a request with Idempotency-Key {key!r} was already processed")
        self.key = key


@dataclass
class IdempotencyClaim:
    principal: str
    key: str
    method: str
    path: str
    request_hash: str
    recorded: bool = False

    def row(self) -> dict[str, Any]:
        return {
            "principal": self.principal,
            "idempotency_key": self.key,
            "method": self.method,
            "path": self.path,
            "request_hash": self.request_hash,
        }


_claim: ContextVar[IdempotencyClaim | None] = ContextVar("ipmarket_idempotency", default=None)


def current_claim() -> IdempotencyClaim | None:
    return _claim.get()


def set_claim(claim: IdempotencyClaim | None) -> None:
    _claim.set(claim)
