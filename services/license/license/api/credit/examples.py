"""Request examples of the credit endpoints shown in the OpenAPI document, with the
Chinese names and fields a regulator's or a party's front end will really send (beside
``license/api/examples.py``, which the licence endpoints use)."""

from __future__ import annotations

from fastapi.openapi.models import Example

RECORD: dict[str, Example] = {
    "royalty": {
        "summary": "经催告拒不支付许可使用费，限制12个月",
        "value": {
            "party": {"uscc": "91440300MA5FXXXX0U", "name": "深圳市新能储能科技有限公司"},
            "kind": "royalty_unpaid_after_notice",
            "evidence": ["6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f"],
            "facts": "被许可人经书面催告后，逾期三个月仍未支付2025年度提成费。",
            "period": {"from": "2026-12-06", "until": "2027-12-05"},
            "license_id": "0b9a8c7d-6e5f-4a3b-2c1d-0e9f8a7b6c5d",
        },
    },
    "false_materials": {
        "summary": "提交虚假材料（伪造专利权评价报告），限制24个月",
        "value": {
            "party": {"uscc": "91110000MA01XXXX2Y", "name": "北京某某科技有限公司"},
            "kind": "false_materials",
            "evidence": ["a2b3c4d5-e6f7-4a8b-9c0d-1e2f3a4b5c6d"],
            "facts": "开放许可声明所附专利权评价报告系伪造。",
            "period": {"from": "2026-12-06", "until": "2028-12-05"},
        },
    },
}

CONFIRM: dict[str, Example] = {
    "confirm": {
        "summary": "确认违约记录转来的候选信用记录",
        "value": {
            "evidence": ["6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f"],
            "facts": "经催告后仍未支付提成费。",
            "period": {"from": "2026-12-06", "until": "2027-06-05"},
        },
    },
}

REASON: dict[str, Example] = {
    "dismiss": {
        "summary": "被许可人已补缴，不予认定",
        "value": {"reason": "被许可人已于催告期内补缴全部提成费。"},
    },
}

OBJECTION: dict[str, Example] = {
    "paid": {
        "summary": "当事人提出异议：已按期支付",
        "value": {
            "grounds": "我司已于2026年3月30日足额支付提成费，附银行回单。",
            "evidence": ["c3d4e5f6-a7b8-4c9d-0e1f-2a3b4c5d6e7f"],
        },
    },
}

DECISION: dict[str, Example] = {
    "upheld": {
        "summary": "异议成立，撤销信用记录",
        "value": {"upheld": True, "reason": "经核实，当事人已按期足额支付。"},
    },
    "rejected": {
        "summary": "异议不成立，维持信用记录",
        "value": {"upheld": False, "reason": "所附回单金额不足应付提成费。"},
    },
}
