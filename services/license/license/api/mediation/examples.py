"""Request examples of the mediation endpoints shown in the OpenAPI document, with the
Chinese names and fields a front end will really send (as ``license.api.examples``)."""

from __future__ import annotations

from fastapi.openapi.models import Example

MEDIATION_REQUEST: dict[str, Example] = {
    "royalty": {
        "summary": "被许可人就提成费计算基数争议申请调解",
        "value": {
            "license_id": "6b1f3c9e-2d4a-4e8b-9f10-7a5c3e2d1b00",
            "mediator": {
                "org_id": "org-gd-ipmediation",
                "name": "广东省知识产权纠纷人民调解委员会",
            },
            "claims": (
                "许可人要求按含税销售额计算提成费，与许可条款约定的净销售额不符，"
                "请求调解确认计算基数并调整提成比例。"
            ),
            "dispute_arose_on": "2026-03-31",
        },
    },
    "known_lawsuit": {
        "summary": "许可人申请调解，并告知对方已向法院起诉（调解组织应不予受理）",
        "value": {
            "license_id": "6b1f3c9e-2d4a-4e8b-9f10-7a5c3e2d1b00",
            "mediator": {"org_id": "org-bj-ipmediation", "name": "北京市知识产权纠纷调解中心"},
            "claims": "被许可人逾期未报告年度净销售额，请求调解。",
            "dispute_arose_on": "2026-04-15",
            "other_proceedings": ["lawsuit"],
        },
    },
}

MEDIATION_RESPONSE: dict[str, Example] = {
    "agree": {"summary": "另一方同意调解", "value": {"agrees": True}},
    "decline": {"summary": "另一方不同意调解（调解组织应不予受理）", "value": {"agrees": False}},
}

MEDIATION_PROCEEDING: dict[str, Example] = {
    "lawsuit": {
        "summary": "一方告知已向知识产权法院起诉",
        "value": {"kind": "lawsuit", "note": "广州知识产权法院（2026）粤73知民初123号"},
    },
    "arbitration": {"summary": "一方告知已申请仲裁", "value": {"kind": "arbitration"}},
}

MEDIATION_REFUSAL: dict[str, Example] = {
    "declined": {
        "summary": "另一方不同意调解，不予受理",
        "value": {"reason": "other_party_declined"},
    },
    "lawsuit": {"summary": "已起诉，不予受理", "value": {"reason": "lawsuit_filed"}},
}

MEDIATION_SESSION: dict[str, Example] = {
    "first": {
        "summary": "第一次调解会议",
        "value": {
            "held_on": "2026-04-20",
            "summary": "双方陈述意见，许可人同意按净销售额计算，提成比例待下次会议商定。",
        },
    },
}

MEDIATION_EXTENSION: dict[str, Example] = {
    "appraisal": {
        "summary": "因需技术鉴定延长调解期限 15 日",
        "value": {"days": 15, "reason": "双方同意委托第三方对产品是否落入专利保护范围进行技术鉴定"},
    },
}

MEDIATION_SETTLEMENT: dict[str, Example] = {
    "rate": {
        "summary": "调解协议：自 2026 年 7 月 1 日起提成比例由 3.5% 调整为 2.5%",
        "value": {
            "royalty_rate": "2.5",
            "effective_from": "2026-07-01",
            "other_terms": "许可人于 30 日内补充交付技术资料；双方放弃就此前期间提成费的其他主张。",
        },
    },
}

MEDIATION_TERMINATION: dict[str, Example] = {
    "no_agreement": {
        "summary": "双方未能达成一致，终止调解",
        "value": {"reason_code": "no_agreement", "note": "双方对提成比例分歧较大"},
    },
}
