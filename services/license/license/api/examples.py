"""Request examples shown in the OpenAPI document (Swagger UI's example picker), with
the Chinese names and fields a front end will really send."""

from __future__ import annotations

from fastapi.openapi.models import Example

TAKE_LICENSE: dict[str, Example] = {
    "storage": {
        "summary": "储能企业取得电池检测专利的开放许可",
        "value": {
            "declaration_id": "3f0d7c52-8a4e-4f5b-9a51-0c2b6d1e7a90",
            "field_of_use": "储能电站电池管理系统",
            "contact": "深圳市新能储能科技有限公司 法务部 王经理 0755-86000000",
        },
    },
    "medical": {
        "summary": "医疗器械企业，仅写明实施领域",
        "value": {
            "declaration_id": "a1b2c3d4-0000-4c1e-8f00-5e6d7c8b9a01",
            "field_of_use": "可穿戴心电监测设备",
        },
    },
}

PAYMENT: dict[str, Example] = {
    "fee": {
        "summary": "被许可人报告一次性许可费（首笔付款，许可生效）",
        "value": {
            "amount": {"amount": "50000.00", "currency": "CNY"},
            "voucher_reference": "ICBC-20261123-0001",
            "paid_on": "2026-11-23",
        },
    },
    "confirmed": {
        "summary": "专利权人（清华大学）确认收到入门费",
        "value": {
            "amount": {"amount": "20000.00", "currency": "CNY"},
            "voucher_reference": "BOC-BJ-20261123-0315",
            "paid_on": "2026-11-22",
        },
    },
    "royalty": {
        "summary": "支付已申报报告期的提成费",
        "value": {
            "amount": {"amount": "35000.00", "currency": "CNY"},
            "voucher_reference": "CMB-20270328-0417",
            "paid_on": "2027-03-28",
            "royalty_period_id": "6b1f3c9e-2d4a-4e8b-9f10-7a5c3e2d1b00",
        },
    },
}

FILING: dict[str, Example] = {
    "notice": {
        "summary": "按国家知识产权局备案通知书录入备案号",
        "value": {"filing_number": "2026990000123", "filed_on": "2026-12-15"},
    }
}

ROYALTY_REPORT: dict[str, Example] = {
    "net_sales": {
        "summary": "申报上一年度净销售额 100 万元（提成 3.5% 即 35000.00 元）",
        "value": {"base_amount": {"amount": "1000000.00", "currency": "CNY"}},
    },
    "loss": {
        "summary": "利润提成方式下本期无利润，申报 0 元",
        "value": {"base_amount": {"amount": "0.00", "currency": "CNY"}},
    },
}

NEGOTIATED_LICENSE: dict[str, Example] = {
    "ordinary": {
        "summary": "清华大学与比亚迪协商订立普通许可（入门费加提成）",
        "value": {
            "application_number": "CN201710601862.3",
            "kind": "ordinary",
            "licensee": {"name": "比亚迪股份有限公司", "uscc": "91440300192317458F"},
            "terms": {
                "payment_mode": "entry_fee_plus_royalty",
                "entry_fee": "100000.00",
                "royalty_base": "net_sales",
                "royalty_rate": "2.5",
                "payment_schedule": "每年3月31日前按上一年度净销售额支付",
                "term_start": "2026-12-01",
                "term_end": "2031-11-30",
                "territory": "中国大陆",
            },
            "field_of_use": "新能源汽车动力电池管理系统",
            "effective_date": "2026-12-01",
        },
    },
    "exclusive": {
        "summary": "撤回开放许可声明后订立独占许可（一次性付费）",
        "value": {
            "application_number": "201710601862.3",
            "kind": "exclusive",
            "licensee": {"name": "宁德时代新能源科技股份有限公司", "uscc": "91350900587527783P"},
            "terms": {
                "payment_mode": "lump_sum",
                "lump_sum_fee": "3000000.00",
                "term_start": "2027-01-01",
                "term_end": "2030-12-31",
            },
            "field_of_use": "储能系统电池健康状态检测",
            "effective_date": "2027-01-01",
        },
    },
}

TERMINATION: dict[str, Example] = {
    "agreement": {
        "summary": "许可人与被许可人协商一致提前终止许可（双方各自提交，第二方提交后终止）",
        "value": {
            "ended_on": "2026-12-01",
            "reason_code": "agreement",
            "note": "双方协商一致，自2026年12月1日起终止独占许可合同，已付许可费不予退还",
        },
    },
    "gives_up": {
        "summary": "开放许可的被许可人放弃许可",
        "value": {
            "ended_on": "2026-12-06",
            "reason_code": "licensee_gives_up",
            "note": "产品线调整，不再实施该专利",
        },
    },
}

RESCISSION: dict[str, Example] = {
    "breach": {
        "summary": "许可人因被许可人逾期未报告提成费（违约登记在案）解除许可",
        "value": {
            "ended_on": "2026-12-06",
            "ground": {"kind": "breach", "reference": "5c2e8f7a-1d3b-4a6c-9e0f-2b4d6a8c0e1f"},
            "note": "经书面催告后仍未报告2025年度净销售额",
        },
    },
    "judgment": {
        "summary": "平台运营方依据法院生效判决解除许可",
        "value": {
            "ended_on": "2026-11-30",
            "ground": {"kind": "judgment", "reference": "（2026）京73民初1234号"},
        },
    },
}
