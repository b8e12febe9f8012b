"""A document upload's body is bounded: refused before reading when it says it is too
large, and as soon as it grows past the limit when it does not say."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
from fastapi import FastAPI, Request

from shared.http.bodies import bounded_body
from shared.http.problems import PROBLEM_JSON, install_problem_handlers


def app() -> FastAPI:
    application = FastAPI()
    install_problem_handlers(application)

    @application.post("/documents")
    async def upload(request: Request) -> dict[str, int]:
        return {"size": len(await bounded_body(request, 10))}

    return application


async def post(content: bytes | AsyncIterator[bytes]) -> httpx.Response:
    transport = httpx.ASGITransport(app=app())
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return await client.post("/documents", content=content)


async def chunks(*parts: bytes) -> AsyncIterator[bytes]:
    for part in parts:
        yield part


async def test_a_body_within_the_limit_is_read_whole() -> None:
    assert (await post(b"%PDF-1.7\n")).json() == {"size": 9}
    assert (await post(chunks(b"%PDF", b"-1.7\n"))).json() == {"size": 9}


async def test_a_declared_or_growing_body_over_the_limit_is_a_413() -> None:
    for content in (b"x" * 11, chunks(b"x" * 6, b"x" * 6)):
        response = await post(content)
        assert response.status_code == 413
        assert response.headers["content-type"] == PROBLEM_JSON
        problem = response.json()
        assert problem["type"].endswith("/upload-too-large")
        assert problem["detail"] == "body: the document is larger than 10 bytes"
