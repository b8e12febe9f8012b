"""``Idempotency-Key`` on POST requests (ASGI middleware).

A retried POST with the same key and the same body gets the first response again
(``Idempotent-Replayed: true``) and has no second effect; the same key with another
body is refused (422); a retry while the first is still running gets 409. The key is
scoped to the calling token's subject. The key row is written by the unit of work in
the effect's own transaction (``shared.db.idempotency``); the stored response follows
right after. Requests that fail (4xx/5xx) commit nothing, so retrying them runs them again.

A request whose effect committed but whose answer then failed (an unexpected error after
the commit, or the process stopping before the answer was stored) is not run again either:
its retries get 410 ``idempotency-response-unavailable`` saying that it took effect.

Routes that keep the key themselves are left alone: those whose route object says
``handles_idempotency_key = True`` (``shared.uploads.http.UploadRoute``, whose endpoints
stream a file of up to 100 MB that this middleware would hold whole in memory, and keep
the key with the upload job instead).

A service whose answers carry secrets has a response sealer (``ServiceRuntime``): its
answers are stored encrypted and decrypted to replay. One that can no longer be decrypted
(its key was retired) is not replayed: the retry gets 410 ``idempotency-response-unavailable``.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.routing import iter_route_contexts
from sqlalchemy import Table, select, update
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.routing import compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.auth.tokens import TokenError, TokenVerifier
from shared.db.idempotency import IdempotencyClaim, ResponseSealer, set_claim
from shared.db.infrastructure import InfrastructureTables
from shared.errors import IdempotencyResponseUnavailable, problem_type
from shared.http.problems import PROBLEM_JSON

HEADER = b"idempotency-key"


class IdempotencyMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._left_alone: list[re.Pattern[str]] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or self._leaves_alone(scope):
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        raw_key = headers.get(HEADER)
        if raw_key is None:
            await self.app(scope, receive, send)
            return
        key = raw_key.decode(errors="replace").strip()
        path: str = scope["path"]
        if not 1 <= len(key) <= 255:
            await _problem(
                send, 422, "validation-error", "Idempotency-Key must be 1-255 chars", path
            )
            return
        principal = _principal_of(scope, headers)
        if principal is None:
            await self.app(scope, receive, send)  # the endpoint answers 401
            return

        body = await _read_body(receive)
        digest = hashlib.sha256(body).hexdigest()
        state = scope["app"].state
        engine: AsyncEngine = state.runtime.engine
        tables: InfrastructureTables = state.runtime.tables
        sealer: ResponseSealer | None = state.runtime.response_sealer
        table = tables.idempotency_keys

        async with engine.connect() as conn:
            row = (
                await conn.execute(
                    select(table).where(
                        table.c.principal == principal, table.c.idempotency_key == key
                    )
                )
            ).first()
        if row is not None:
            if row.request_hash != digest or row.path != path:
                await _problem(
                    send,
                    422,
                    "idempotency-key-reused",
                    f"Idempotency-Key {key!r} was used for a different request",
                    path,
                )
            elif row.status_code is None and _answer_may_still_come(row.created_at):
                await _problem(
                    send,
                    409,
                    "idempotency-key-in-use",
                    f"the request with Idempotency-Key {key!r} is still being processed",
                    path,
                )
            elif row.status_code is None:
                # The effect committed, then the process stopped before it stored the answer.
                await _answer_lost(send, key, path, "the service stopped before it was stored")
            elif row.status_code == _LOST_STATUS and row.response_body is None:
                await _answer_lost(send, key, path, "the service failed while answering")
            elif row.response_sealed:
                await _replay_sealed(send, sealer, row, key, path)
            else:
                await _replay(send, row.status_code, row.response_body, row.response_content_type)
            return

        claim = IdempotencyClaim(principal, key, scope["method"], path, digest)
        set_claim(claim)
        captured: dict[str, Any] = {"status": 500, "body": b"", "content_type": None}

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                captured["status"] = message["status"]
                for name, value in message.get("headers", []):
                    if name.lower() == b"content-type":
                        captured["content_type"] = value.decode()
            elif message["type"] == "http.response.body":
                captured["body"] += message.get("body", b"")
            await send(message)

        try:
            await self.app(scope, _replaying(body), capture)
        except Exception:
            if claim.recorded:
                await _store_lost_answer(engine, table, principal, key)
            raise
        finally:
            set_claim(None)
        if claim.recorded and captured["status"] >= 500:
            await _store_lost_answer(engine, table, principal, key)
        elif claim.recorded:
            stored: bytes = captured["body"]
            if sealer is not None:
                stored = sealer.seal(stored)
            async with engine.begin() as conn:
                await conn.execute(
                    update(table)
                    .where(table.c.principal == principal, table.c.idempotency_key == key)
                    .values(
                        status_code=captured["status"],
                        response_body=stored,
                        response_content_type=captured["content_type"],
                        response_sealed=sealer is not None,
                    )
                )

    def _leaves_alone(self, scope: Scope) -> bool:
        """Whether the request goes to a route that handles Idempotency-Key itself (the
        routes are read once, at the first POST, when the app has them all)."""
        if self._left_alone is None:
            self._left_alone = [
                compile_path(context.path)[0]
                for context in iter_route_contexts(scope["app"].routes)
                if context.path
                and getattr(context.original_route, "handles_idempotency_key", False)
            ]
        path: str = scope["path"]
        return any(pattern.match(path) for pattern in self._left_alone)


# Longer than any request runs: a key row is written in the effect's own transaction, and
# its answer is stored right after, so a row still without an answer past this age belongs
# to a request whose process stopped in between.
_ANSWER_GRACE = timedelta(seconds=60)

_LOST_STATUS = 410


def _answer_may_still_come(created_at: datetime) -> bool:
    return datetime.now(UTC) - created_at < _ANSWER_GRACE


async def _store_lost_answer(engine: AsyncEngine, table: Table, principal: str, key: str) -> None:
    """The effect committed but its answer failed: retries learn that, instead of waiting
    for an answer that never comes (409) or running the request again."""
    async with engine.begin() as conn:
        await conn.execute(
            update(table)
            .where(table.c.principal == principal, table.c.idempotency_key == key)
            .values(
                status_code=_LOST_STATUS,
                response_body=None,
                response_content_type=None,
                response_sealed=False,
            )
        )


async def _answer_lost(send: Send, key: str, path: str, why: str) -> None:
    unavailable = IdempotencyResponseUnavailable
    await _problem(
        send,
        unavailable.status,
        unavailable.slug,
        f"the request with Idempotency-Key {key!r} took effect, but its answer was lost "
        f"({why}); it is not run again: read the resource to see the result",
        path,
        title=unavailable.title,
    )


def _principal_of(scope: Scope, headers: dict[bytes, bytes]) -> str | None:
    auth = headers.get(b"authorization", b"").decode(errors="replace")
    if not auth.lower().startswith("bearer "):
        return None
    verifier: TokenVerifier = scope["app"].state.token_verifier
    try:
        return verifier.verify(auth[7:].strip()).subject
    except TokenError:
        return None


async def _read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] == "http.request":
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                return b"".join(chunks)
        elif message["type"] == "http.disconnect":
            return b"".join(chunks)


def _replaying(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return {"type": "http.disconnect"}

    return receive


async def _replay_sealed(
    send: Send, sealer: ResponseSealer | None, row: Any, key: str, path: str
) -> None:
    if sealer is None:
        why = "this service no longer has a sealer to decrypt it"
    else:
        try:
            body = sealer.open(row.response_body or b"")
        except ValueError:
            why = "it cannot be decrypted with the configured keys (its key was retired)"
        else:
            await _replay(send, row.status_code, body, row.response_content_type)
            return
    unavailable = IdempotencyResponseUnavailable
    await _problem(
        send,
        unavailable.status,
        unavailable.slug,
        f"the answer to the request with Idempotency-Key {key!r} was stored encrypted and "
        f"{why}; the request took effect and is not run again",
        path,
        title=unavailable.title,
    )


async def _replay(send: Send, status: int, body: bytes | None, content_type: str | None) -> None:
    headers = [(b"idempotent-replayed", b"true")]
    if content_type:
        headers.append((b"content-type", content_type.encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body or b""})


async def _problem(
    send: Send, status: int, slug: str, detail: str, path: str, *, title: str | None = None
) -> None:
    body = json.dumps(
        {
            "type": problem_type(slug),
            "title": title or detail,
            "status": status,
            "detail": detail,
            "instance": path,
        },
        ensure_ascii=False,
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", PROBLEM_JSON.encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})
