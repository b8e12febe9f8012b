"""The console's client of the platform's public APIs.

Every call carries the signed-in user's own bearer token, so the console can do nothing
the user could not do with the same token and curl. A call never raises: its
:class:`Answer` holds either the JSON body or what went wrong, in words the page shows
(the problem's title and detail, or that the service is down).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx

# devstack's port order: what `make run` starts, and the defaults of the statistics
# settings' ``console_service_urls``.
SERVICE_LABELS: dict[str, str] = {
    "listing": "专利目录 listing",
    "license": "许可 license",
    "pledge": "质押 pledge",
    "registry-sync": "登记同步 registry-sync",
    "webhooks": "推送 webhooks",
    "matching": "供需对接 matching",
    "statistics": "统计 statistics",
}

TIMEOUT = httpx.Timeout(10.0, connect=2.0)


@dataclass(frozen=True)
class Answer:
    """One call's outcome: ``body`` when the service answered 2xx, else ``problem``."""

    status: int | None  # None: no answer at all (the service is down or timed out)
    body: Any = None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None

    @property
    def down(self) -> bool:
        return self.status is None


def _problem_text(response: httpx.Response) -> str:
    """The problem's title (and detail) from an RFC 9457 body; the status line otherwise."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and body.get("title"):
        detail = body.get("detail")
        title = str(body["title"])
        return f"{title}：{detail}" if detail else title
    return f"HTTP {response.status_code} {response.reason_phrase}"


class PublicApis:
    """The services' public APIs, called as one user."""

    def __init__(self, client: httpx.AsyncClient, urls: Mapping[str, str], token: str) -> None:
        self._client = client
        self._urls = urls
        self._headers = {"Authorization": f"Bearer {token}"}

    @property
    def services(self) -> list[str]:
        return list(self._urls)

    def url(self, service: str, path: str) -> str:
        return self._urls[service].rstrip("/") + path

    async def get(self, service: str, path: str, params: Mapping[str, str] | None = None) -> Answer:
        return await self._call("GET", service, path, params=params)

    async def post(self, service: str, path: str, json: Any = None) -> Answer:
        return await self._call("POST", service, path, json=json)

    async def _call(
        self,
        method: str,
        service: str,
        path: str,
        params: Mapping[str, str] | None = None,
        json: Any = None,
    ) -> Answer:
        if service not in self._urls:
            return Answer(None, problem=f"未配置服务地址：{service}")
        try:
            response = await self._client.request(
                method,
                self.url(service, path),
                params=params,
                json=json,
                headers=self._headers,
                timeout=TIMEOUT,
            )
        except httpx.TimeoutException:
            return Answer(None, problem=f"服务无响应（超时）：{service}")
        except httpx.TransportError:
            return Answer(None, problem=f"服务不可用：{service}")
        if response.is_success:
            try:
                return Answer(response.status_code, body=response.json())
            except ValueError:
                return Answer(response.status_code, problem="服务返回的不是 JSON")
        return Answer(response.status_code, problem=_problem_text(response))

    async def pages(
        self, service: str, path: str, params: Mapping[str, str] | None = None, most: int = 5
    ) -> Answer:
        """A paged list (``items``, ``next_cursor``), up to ``most`` pages of 200, joined."""
        items: list[Any] = []
        query = {**(params or {}), "limit": "200"}
        for _ in range(most):
            answer = await self.get(service, path, query)
            if not answer.ok:
                return answer
            items += answer.body.get("items", [])
            cursor = answer.body.get("next_cursor")
            if not cursor:
                break
            query["cursor"] = cursor
        return Answer(200, body=items)

    async def gather(self, *calls: Any) -> list[Answer]:
        """Several calls at once (the pages ask a few services each)."""
        return list(await asyncio.gather(*calls))

    async def open_stream(
        self, service: str, path: str, params: Mapping[str, str]
    ) -> httpx.Response | Answer:
        """A download: the open response when it succeeds (the caller reads and closes
        it), else an Answer saying why not."""
        if service not in self._urls:
            return Answer(None, problem=f"未配置服务地址：{service}")
        request = self._client.build_request(
            "GET", self.url(service, path), params=params, headers=self._headers, timeout=TIMEOUT
        )
        try:
            response = await self._client.send(request, stream=True)
        except httpx.TransportError:
            return Answer(None, problem=f"服务不可用：{service}")
        if response.is_success:
            return response
        await response.aread()
        await response.aclose()
        return Answer(response.status_code, problem=_problem_text(response))
