"""Request bodies for listing tests, with realistic Chinese data."""

from __future__ import annotations

from typing import Any

from tests.support.stack import Org, application_number


def patent_body(owner: Org, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "application_number": application_number(2019, 1),
        "title": "一种锂离子电池健康状态在线检测方法",
        "abstract": "本发明公开了一种基于电化学阻抗谱的锂离子电池健康状态检测方法。",
        "ipc_codes": ["H01M 10/48"],
        "region_code": "110108",
        "filing_date": "2019-03-15",
        "grant_date": "2021-06-01",
        "patentees": [
            {"name": owner.name, "uscc": owner.uscc, "share": "100", "party_type": "university"}
        ],
    }
    body.update(overrides)
    return body


def declaration_body(number: str, **terms: Any) -> dict[str, Any]:
    base_terms: dict[str, Any] = {
        "payment_mode": "running_royalty",
        "royalty_base": "net_sales",
        "royalty_rate": "3.5",
        "payment_schedule": "每年3月31日前按上一年度净销售额支付",
        "term_start": "2026-01-01",
        "term_end": "2030-12-31",
    }
    base_terms.update(terms)
    return {
        "application_number": number,
        "terms": base_terms,
        "description": "可用于储能电站电池簇在线监测。",
        "contact": "技术转移中心 010-62780000",
    }
