"""What the network page shows: connected platforms, their endpoints and delivery rates,
failed deliveries, and the dead letters of every service's consumer groups, each read
through the public API as the signed-in user."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ip_statistics.api.console.client import SERVICE_LABELS, Answer, PublicApis

# Failed deliveries listed per endpoint: the most recent ones; older ones are replayed
# with the endpoint's replay button.
FAILED_SHOWN = 10

ENDPOINT_STATUS: dict[str, str] = {
    "active": "正常 active",
    "paused": "暂停（熔断）paused",
    "disabled": "已停用 disabled",
}


@dataclass
class EndpointView:
    endpoint: dict[str, Any]
    stats: dict[str, Any] | None
    failed: list[dict[str, Any]] = field(default_factory=list)
    failed_problem: str | None = None

    @property
    def status_label(self) -> str:
        status = str(self.endpoint.get("status", ""))
        return ENDPOINT_STATUS.get(status, status)

    @property
    def failing(self) -> bool:
        return bool(self.endpoint.get("consecutive_failures")) or bool(
            self.endpoint.get("failing_since")
        )

    @property
    def disabled(self) -> bool:
        return self.endpoint.get("status") == "disabled"


@dataclass
class PlatformView:
    platform: dict[str, Any]
    endpoints: list[EndpointView]


@dataclass(frozen=True)
class GroupDeadLetters:
    group: str
    topic: str
    dead_letters: int  # ever parked
    awaiting_redrive: int  # of those, not re-driven yet


@dataclass
class DeadLetters:
    service: str
    label: str
    groups: list[GroupDeadLetters]
    problem: str | None
    down: bool

    @property
    def awaiting_redrive(self) -> int:
        return sum(g.awaiting_redrive for g in self.groups)


@dataclass
class NetworkView:
    platforms: list[PlatformView]
    problems: list[str]
    window_since: str | None
    dead_letters: list[DeadLetters]


def _stats_by_endpoint(answer: Answer) -> tuple[dict[str, dict[str, Any]], str | None]:
    if not answer.ok:
        return {}, None
    body = answer.body
    rows = body.get("endpoints", []) if isinstance(body, dict) else body
    since = body.get("since") if isinstance(body, dict) else None
    return {str(r.get("endpoint_id")): r for r in rows if isinstance(r, dict)}, since


def _groups(body: Any) -> list[GroupDeadLetters]:
    """Each consumer group's dead letters, from the operations API's answer."""
    rows = body.get("groups", []) if isinstance(body, dict) else []
    return [
        GroupDeadLetters(
            group=str(row.get("group", "?")),
            topic=str(row.get("topic", "")),
            dead_letters=int(row.get("dead_letters", 0)),
            awaiting_redrive=int(row.get("awaiting_redrive", 0)),
        )
        for row in rows
        if isinstance(row, dict)
    ]


async def dead_letters(apis: PublicApis) -> list[DeadLetters]:
    services = apis.services
    answers = await apis.gather(*(apis.get(s, "/v1/operations/dead-letters") for s in services))
    return [
        DeadLetters(
            service=service,
            label=SERVICE_LABELS.get(service, service),
            groups=_groups(answer.body) if answer.ok else [],
            problem=answer.problem,
            down=answer.down,
        )
        for service, answer in zip(services, answers, strict=True)
    ]


async def network_view(apis: PublicApis, *, with_dead_letters: bool) -> NetworkView:
    platforms, endpoints, stats = await apis.gather(
        apis.pages("webhooks", "/v1/platforms"),
        apis.pages("webhooks", "/v1/endpoints"),
        apis.get("webhooks", "/v1/delivery-stats"),
    )
    problems = [
        f"{what}：{answer.problem}"
        for what, answer in (
            ("已连接平台", platforms),
            ("推送端点", endpoints),
            ("推送统计", stats),
        )
        if not answer.ok
    ]
    by_endpoint, since = _stats_by_endpoint(stats)
    endpoint_rows: list[dict[str, Any]] = endpoints.body if endpoints.ok else []
    failed = await apis.gather(
        *(
            apis.get(
                "webhooks",
                f"/v1/endpoints/{e['id']}/deliveries",
                {"status": "failed", "limit": str(FAILED_SHOWN)},
            )
            for e in endpoint_rows
        )
    )
    views: dict[str, list[EndpointView]] = {}
    for endpoint, answer in zip(endpoint_rows, failed, strict=True):
        view = EndpointView(
            endpoint,
            by_endpoint.get(str(endpoint["id"])),
            failed=answer.body.get("items", []) if answer.ok else [],
            failed_problem=answer.problem,
        )
        views.setdefault(str(endpoint.get("platform_id")), []).append(view)
    platform_rows: list[dict[str, Any]] = platforms.body if platforms.ok else []
    return NetworkView(
        platforms=[PlatformView(p, views.get(str(p["id"]), [])) for p in platform_rows],
        problems=problems,
        window_since=since,
        dead_letters=await dead_letters(apis) if with_dead_letters else [],
    )


def redrive_summary(answer: Answer) -> str:
    """The re-drive's outcome in one line: how many, per topic."""
    if not answer.ok:
        return f"重新投递失败：{answer.problem}"
    body = answer.body if isinstance(answer.body, dict) else {}
    topics: dict[str, int] = body.get("by_topic") or {}
    detail = "，".join(f"{topic} {count} 条" for topic, count in sorted(topics.items()))
    return f"已重新投递 {body.get('redriven', 0)} 条死信" + (f"（{detail}）" if detail else "")
