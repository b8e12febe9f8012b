"""One row of the operator's profile import: its columns (English names and the Chinese
headers a spreadsheet uses), how a cell is read, and the row checked into the profile's
facts by the domain's own rules, or refused naming the column and the rule.

CSV cells are text: lists (industry classes, strategic codes, qualifications) are
separated by ``;``, ``；``, ``、``, ``,`` or ``，``; size and qualifications in English
or Chinese (``小型``, ``专精特新``, ``高新技术企业``...). JSON Lines rows give strings
or lists of strings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from matching.domain.errors import ConsentByEnterpriseOnly, FieldRefused
from matching.domain.profile import CompanySize, ProfileFacts, Qualification, check_uscc
from shared.domain import Uscc
from shared.uploads import Column, RawRow, RowError, UploadSpec


def _uscc(value: str) -> str:
    return Uscc.parse(value).value


SPEC = UploadSpec(
    kind="enterprise_profiles",
    columns=(
        Column("uscc", ("统一社会信用代码", "信用代码", "社会信用代码"), required=True),
        Column("name", ("企业名称", "单位名称", "名称"), required=True),
        Column("region_code", ("行政区划代码", "地区代码", "所在地区代码"), required=True),
        Column("industry_codes", ("行业代码", "国民经济行业代码", "所属行业"), required=True),
        Column("strategic_codes", ("战略性新兴产业代码", "战新产业代码")),
        Column("size", ("企业规模", "规模"), required=True),
        Column("qualifications", ("企业资质", "资质")),
        Column("products", ("主营产品", "主要产品", "产品")),
        Column("technical_needs", ("技术需求",)),
        # Recognised only to refuse it: consent is the enterprise's own act.
        Column("push_consent", ("同意推送", "推送同意")),
    ),
    key_column="uscc",
    normalise_key=_uscc,
)

SIZES = {
    "微型": CompanySize.MICRO,
    "微型企业": CompanySize.MICRO,
    "小型": CompanySize.SMALL,
    "小型企业": CompanySize.SMALL,
    "中型": CompanySize.MEDIUM,
    "中型企业": CompanySize.MEDIUM,
    "大型": CompanySize.LARGE,
    "大型企业": CompanySize.LARGE,
}
QUALIFICATIONS = {
    "专精特新": Qualification.SPECIALIZED_SME,
    "专精特新中小企业": Qualification.SPECIALIZED_SME,
    "专精特新小巨人": Qualification.SPECIALIZED_SME,
    "高新技术企业": Qualification.HIGH_TECH,
    "高新企业": Qualification.HIGH_TECH,
    "知识产权优势示范企业": Qualification.IP_ADVANTAGE,
    "知识产权优势企业": Qualification.IP_ADVANTAGE,
    "知识产权示范企业": Qualification.IP_ADVANTAGE,
}
_NO = {"", "否", "false", "0", "no", "n", "不同意"}
_SEPARATORS = re.compile(r"[;；、,，\n]")
# PostgreSQL stores neither; JSON Lines can carry both as escapes.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


@dataclass(frozen=True)
class ProfileRow:
    """A checked row: the enterprise's USCC and its facts."""

    number: int
    uscc: str
    facts: ProfileFacts


class RowRefused(ValueError):
    def __init__(self, field: str | None, reason: str) -> None:
        super().__init__(reason)
        self.field, self.reason = field, reason


def refusal(row: int, refused: FieldRefused) -> RowError:
    """A rule's refusal as a row error: the column (a list's item named by its index),
    and the reason followed by the rule's problem slug."""
    column = refused.field.split("[", 1)[0]
    return RowError(row, column, f"{refused.detail} (rule: {refused.slug})")


def check_row(row: RawRow) -> ProfileRow | RowError:
    """The row checked, or the first thing wrong with it."""
    try:
        return _checked(row)
    except FieldRefused as refused:
        return refusal(row.number, refused)
    except RowRefused as refused:
        return RowError(row.number, refused.field, refused.reason)


def _checked(row: RawRow) -> ProfileRow:
    values = {k: v for k, v in row.values.items() if v not in (None, "", [])}
    for name, value in values.items():
        for text in value if isinstance(value, list) else [value]:
            if isinstance(text, str) and _UNSTORABLE.search(text):
                raise RowRefused(
                    name,
                    "contains the NUL character (U+0000) or a lone surrogate (U+D800 to "
                    "U+DFFF), which cannot be stored",
                )
    if _consents(values.get("push_consent")):
        raise ConsentByEnterpriseOnly(
            "push_consent",
            "an import cannot consent to pushes for an enterprise: the enterprise opts in "
            "itself (PUT /v1/enterprise-profiles/me/consent); leave the column empty or 否",
        )
    for required in ("uscc", "name", "region_code", "size"):
        if not isinstance(values.get(required), str):
            raise RowRefused(required, "required: a text value")
    uscc = check_uscc(values["uscc"])
    facts = ProfileFacts.checked(
        name=values["name"],
        region_code=values["region_code"],
        industry_codes=_items(values.get("industry_codes"), "industry_codes"),
        strategic_codes=_items(values.get("strategic_codes"), "strategic_codes"),
        size=_size(values["size"]),
        qualifications=[
            _qualification(q) for q in _items(values.get("qualifications"), "qualifications")
        ],
        products=_text(values.get("products"), "products"),
        technical_needs=_text(values.get("technical_needs"), "technical_needs"),
    )
    return ProfileRow(row.number, uscc, facts)


def _consents(value: Any) -> bool:
    if value is None or value is False:
        return False
    return str(value).strip().casefold() not in _NO


def _items(value: Any, column: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [item.strip() for item in _SEPARATORS.split(value) if item.strip()]
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return value
    raise RowRefused(column, "a list of text values (in CSV, separated by ; or 、)")


def _text(value: Any, column: str) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise RowRefused(column, "a text value")


def _size(value: str) -> str:
    given = value.strip()
    return SIZES[given].value if given in SIZES else given.casefold()


def _qualification(value: str) -> str:
    given = value.strip()
    return QUALIFICATIONS[given].value if given in QUALIFICATIONS else given.casefold()
