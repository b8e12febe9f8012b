"""How a row of the profile import is read, without infrastructure: Chinese values,
list separators, JSON values of the wrong type, refusals naming the column and the rule."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from matching.domain.profile import CompanySize, Qualification
from matching.profiles.rows import SPEC, ProfileRow, check_row
from shared.uploads import RawRow, RowError

USCC = "91350100M000100Y43"


def raw(**values: Any) -> RawRow:
    given = {
        "uscc": USCC,
        "name": "福州某电子有限公司",
        "region_code": "350100",
        "industry_codes": "C3971",
        "size": "小型企业",
        "products": "集成电路封装",
    }
    return RawRow(1, 2, {**given, **values})


def test_chinese_values_and_separators_are_read() -> None:
    row = check_row(
        raw(
            uscc=USCC.lower(),
            industry_codes="C3971；c3972, C3973、C3974，C3975",
            strategic_codes="1.2.1; 1.2",
            qualifications="专精特新小巨人、高新技术企业、知识产权优势示范企业",
            size="中型",
            push_consent="否",
        )
    )
    assert isinstance(row, ProfileRow)
    assert row.uscc == USCC
    assert row.facts.industry_codes == ("C3971", "C3972", "C3973", "C3974", "C3975")
    assert row.facts.strategic_codes == ("1.2.1", "1.2")
    assert row.facts.size is CompanySize.MEDIUM
    assert row.facts.qualifications == (
        Qualification.SPECIALIZED_SME,
        Qualification.HIGH_TECH,
        Qualification.IP_ADVANTAGE,
    )


@pytest.mark.parametrize(
    ("values", "field", "reason"),
    [
        ({"push_consent": "是"}, "push_consent", "(rule: consent-by-enterprise-only)"),
        ({"push_consent": True}, "push_consent", "(rule: consent-by-enterprise-only)"),
        ({"size": "巨型"}, "size", "(rule: profile-size-unknown)"),
        ({"qualifications": "名企"}, "qualifications", "(rule: profile-qualification-unknown)"),
        ({"industry_codes": None}, "industry_codes", "(rule: profile-industry-count)"),
        ({"industry_codes": ["C3971", 3972]}, "industry_codes", "a list of text values"),
        ({"products": 42}, "products", "a text value"),
        ({"name": None}, "name", "required"),
        ({"products": "a\x00b"}, "products", "NUL"),
        ({"industry_codes": ["C3971", "C39\x0072"]}, "industry_codes", "NUL"),
        ({"technical_needs": "\ud800"}, "technical_needs", "lone surrogate"),
    ],
)
def test_refusals_name_the_column_and_the_rule(
    values: dict[str, Any], field: str, reason: str
) -> None:
    refused = check_row(raw(**values))
    assert isinstance(refused, RowError)
    assert refused.field == field
    assert reason in refused.reason


def test_headers_in_english_and_chinese_name_the_same_columns() -> None:
    assert SPEC.canonical("统一社会信用代码") == SPEC.canonical(" USCC ") == "uscc"
    assert SPEC.canonical("行业代码") == "industry_codes"
    assert SPEC.canonical("技术需求") == "technical_needs"
    assert SPEC.key({"uscc": USCC.lower()}) == USCC
    assert SPEC.required == ["uscc", "name", "region_code", "industry_codes", "size"]


def test_the_demo_profiles_read_cleanly() -> None:
    """devstack/data/enterprise_profiles.csv, which the demo imports, breaks no rule."""
    demo = Path(__file__).resolve().parents[2] / "devstack/data/enterprise_profiles.csv"
    with demo.open(encoding="utf-8", newline="") as file:
        rows = [
            check_row(RawRow(n, n + 1, {SPEC.canonical(k): v for k, v in cells.items()}))
            for n, cells in enumerate(csv.DictReader(file), start=1)
        ]
    refused = [r for r in rows if isinstance(r, RowError)]
    assert refused == []
    assert len({r.uscc for r in rows if isinstance(r, ProfileRow)}) == len(rows) >= 30
