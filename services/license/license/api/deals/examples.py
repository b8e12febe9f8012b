"""Request examples of the deal endpoints, with the Chinese names and fields a front end
will really send."""

from __future__ import annotations

from fastapi.openapi.models import Example


def _exclusive_license(royalty_rate: str) -> dict[str, object]:
    return {
        "kind": "exclusive",
        "field_of_use": "新能源汽车动力电池管理系统",
        "terms": {
            "payment_mode": "entry_fee_plus_royalty",
            "entry_fee": "800000.00",
            "royalty_base": "net_sales",
            "royalty_rate": royalty_rate,
            "payment_schedule": "每年3月31日前按上一年度净销售额支付",
            "term_start": "2027-01-01",
            "term_end": "2031-12-31",
            "territory": "中国大陆",
        },
    }


OPEN_DEAL: dict[str, Example] = {
    "exclusive_licence": {
        "summary": "高校向车企发出独占许可要约",
        "value": {
            "application_number": "201710601862.3",
            "counterparty": {"name": "比亚迪股份有限公司", "uscc": "91440300192317458F"},
            "license": _exclusive_license("3.0"),
            "expires_at": "2026-12-31T17:00:00+08:00",
        },
    },
    "transfer": {
        "summary": "企业请求受让专利权（转让）",
        "value": {
            "application_number": "201710601862.3",
            "counterparty": {"name": "清华大学", "uscc": "12100000400000624D"},
            "transfer": {
                "price": "3500000.00",
                "transferees": [
                    {
                        "name": "宁德时代新能源科技股份有限公司",
                        "uscc": "91350900587527783P",
                        "share": "100",
                        "party_type": "enterprise",
                    }
                ],
            },
            "expires_at": "2026-12-31T17:00:00+08:00",
        },
    },
}

COUNTER_OFFER: dict[str, Example] = {
    "lower_rate": {
        "summary": "被许可方还价：提成率降至2.5%",
        "value": {
            "license": _exclusive_license("2.5"),
            "expires_at": "2026-12-20T17:00:00+08:00",
        },
    },
}

RECORDAL: dict[str, Example] = {
    "recorded": {
        "summary": "国家知识产权局著录项目变更通知书（转让登记）",
        "value": {"recordal_number": "2026120600123456", "recorded_on": "2026-12-06"},
    },
}
