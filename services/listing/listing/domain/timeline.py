"""A patent's history across services (专利权属与交易历史), for due diligence.

Every event that names a patent — by ``application_number`` or in
``application_numbers`` — becomes one entry per patent. Pledge details are for the
parties: others see that a pledge event happened, not its data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

LABELS = {
    "cn.ipmarket.listing.patent.registered.v1": "专利入库",
    "cn.ipmarket.listing.patent.status_changed.v1": "法律状态变更",
    "cn.ipmarket.listing.patent.owner_changed.v1": "权利人变更（转让登记）",
    "cn.ipmarket.listing.declaration.published.v1": "开放许可声明公告",
    "cn.ipmarket.listing.declaration.withdrawal_requested.v1": "申请撤回开放许可声明",
    "cn.ipmarket.listing.declaration.withdrawn.v1": "开放许可声明撤回公告",
    "cn.ipmarket.listing.declaration.lapsed.v1": "开放许可声明失效",
    "cn.ipmarket.listing.declaration.expired.v1": "开放许可声明期满",
    "cn.ipmarket.listing.declaration.suspended.v1": "开放许可声明中止",
    "cn.ipmarket.listing.declaration.reinstated.v1": "开放许可声明恢复",
    "cn.ipmarket.listing.supply.published.v1": "发布供给信息",
    "cn.ipmarket.listing.supply.updated.v1": "修改供给信息",
    "cn.ipmarket.listing.supply.closed.v1": "供给信息关闭（撤回或到期）",
    "cn.ipmarket.license.license.granted.v1": "许可生效",
    "cn.ipmarket.pledge.pledge.registered.v1": "质押登记",
    "cn.ipmarket.pledge.pledge.cancelled.v1": "质押注销",
    "cn.ipmarket.pledge.pledge.suspended.v1": "质押中止（在先开放许可）",
    "cn.ipmarket.pledge.pledge.reinstated.v1": "质押恢复",
    "cn.ipmarket.pledge.consent.recorded.v1": "质权人同意",
    "cn.ipmarket.pledge.disposal.transferred.v1": "质物处置转让",
    # The technology-contract registration of a licence or transfer (registry-sync).
    "cn.ipmarket.registry.tech_contract.recorded.v1": "技术合同认定登记待办",
    "cn.ipmarket.registry.tech_contract.details_changed.v1": "技术合同登记信息补正",
    "cn.ipmarket.registry.tech_contract.submitted.v1": "技术合同登记已提交",
    "cn.ipmarket.registry.tech_contract.submission_retried.v1": "技术合同登记重试提交",
    "cn.ipmarket.registry.tech_contract.refused.v1": "技术合同登记被退回",
    "cn.ipmarket.registry.tech_contract.resubmitted.v1": "技术合同登记重新提交",
    "cn.ipmarket.registry.tech_contract.registered.v1": "技术合同认定登记",
    "cn.ipmarket.registry.reconciliation.mismatch_found.v1": "备案与登记核对不一致",
    # The patent office's recordals and legal-status feed (registry-sync).
    "cn.ipmarket.registry.license_filing.submitted.v1": "许可合同备案已提交",
    "cn.ipmarket.registry.license_filing.registered.v1": "许可合同备案",
    "cn.ipmarket.registry.license_filing.refused.v1": "许可合同备案被驳回",
    "cn.ipmarket.registry.transfer_registration.submitted.v1": "转让登记已提交",
    "cn.ipmarket.registry.transfer_registration.recorded.v1": "转让登记",
    "cn.ipmarket.registry.transfer_registration.refused.v1": "转让登记被驳回",
    "cn.ipmarket.registry.legal_status.reported.v1": "专利局法律状态公告",
}

PRIVATE_PREFIXES = ("cn.ipmarket.pledge.",)


@dataclass(frozen=True)
class TimelineEntry:
    """One event about one patent."""

    event_id: str
    application_number: str
    event_type: str
    source: str
    occurred_at: datetime
    actor: str | None
    data: dict[str, Any]


def patents_named(data: Mapping[str, Any]) -> list[str]:
    """The application numbers an event is about."""
    numbers = list(data.get("application_numbers") or [])
    single = data.get("application_number")
    if isinstance(single, str) and single not in numbers:
        numbers.append(single)
    return [n for n in numbers if isinstance(n, str)]


def label(event_type: str) -> str:
    return LABELS.get(event_type, event_type)


def shows_data(event_type: str, *, party: bool) -> bool:
    """Whether a caller sees an entry's data: pledge details only for the parties."""
    return party or not event_type.startswith(PRIVATE_PREFIXES)
