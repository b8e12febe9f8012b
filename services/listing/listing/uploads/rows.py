"""One row of an inventory upload: its columns (English names and the Chinese headers an
office's export uses), how a CSV cell is read, and the row checked into an
:class:`InventoryRow` or refused with the field and the reason.

A row carries the inventory record of one patent (``willingness`` and the rest of
``PUT /v1/patents/{n}/inventory``'s body) and, for a patent not yet in the catalogue, its
catalogue facts (``POST /v1/patents``' body). Both parts are checked by the API's own
input models, so a row is refused with the messages the API would give.

CSV cells are text: lists are separated by ``;``, ``；`` or ``、``; an inventor is
``姓名`` or ``姓名（联系方式）``; a patentee ``名称（USCC）`` or ``名称（USCC，份额，类型）``;
dates ``2017-07-21``, ``2017/7/21`` or ``20170721``; yes/no as ``是``/``否``,
``true``/``false`` or ``1``/``0``; willingness and intended modes in English or Chinese
(``愿意``, ``转让``...). JSON Lines rows give the API's JSON values as they are.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from pydantic import ValidationError

from listing.bulk.schemas import PatentCreate
from listing.domain.inventory import IntendedMode, Willingness
from listing.domain.patent import PartyType
from listing.inventory.schemas import InventoryIn
from shared.domain import ApplicationNumber, InvalidIdentifier
from shared.uploads import Column, RawRow, RowError, UploadSpec

CATALOGUE_COLUMNS = (
    Column("title", ("专利名称", "发明名称", "名称")),
    Column("abstract", ("摘要",)),
    Column("ipc_codes", ("IPC分类号", "IPC", "分类号")),
    Column("region_code", ("行政区划代码", "地区代码")),
    Column("filing_date", ("申请日",)),
    Column("grant_date", ("授权日", "授权公告日")),
    Column("patentees", ("专利权人",)),
    Column("legal_status", ("法律状态",)),
    Column("annual_fee_status", ("年费状态",)),
    Column("state_funded", ("财政资助", "是否财政资助")),
    Column("term_adjustment_days", ("期限补偿天数",)),
)
INVENTORY_COLUMNS = (
    Column("willingness", ("转化意愿",), required=True),
    Column("intended_modes", ("拟转化方式", "转化方式")),
    Column("inventors", ("发明人",)),
    Column("portfolios", ("专利组合",)),
    Column("state_funding_project", ("财政资助项目", "资助项目")),
    Column("notes", ("备注",)),
)


def _application_number(value: str) -> str:
    return ApplicationNumber.parse(value).value


SPEC = UploadSpec(
    kind="inventory",
    columns=(
        Column("application_number", ("申请号", "专利申请号"), required=True),
        *CATALOGUE_COLUMNS,
        *INVENTORY_COLUMNS,
    ),
    key_column="application_number",
    normalise_key=_application_number,
)
_CATALOGUE = tuple(c.name for c in CATALOGUE_COLUMNS)

WILLINGNESS = {
    "愿意": Willingness.WILLING,
    "有意愿": Willingness.WILLING,
    "不愿意": Willingness.NOT_WILLING,
    "无意愿": Willingness.NOT_WILLING,
    "未定": Willingness.UNDECIDED,
    "待定": Willingness.UNDECIDED,
}
MODES = {
    "转让": IntendedMode.TRANSFER,
    "许可": IntendedMode.LICENSE,
    "普通许可": IntendedMode.LICENSE,
    "开放许可": IntendedMode.OPEN_LICENSE,
    "作价入股": IntendedMode.EQUITY_INVESTMENT,
    "作价投资": IntendedMode.EQUITY_INVESTMENT,
    "合作开发": IntendedMode.JOINT_DEVELOPMENT,
    "联合开发": IntendedMode.JOINT_DEVELOPMENT,
}
_YES = {"是", "true", "1", "yes", "y"}
_NO = {"否", "false", "0", "no", "n"}
_SEPARATORS = re.compile(r"[;；、\n]")
_PARENTHESISED = re.compile(r"^(?P<name>[^（(]+)[（(](?P<inner>[^）)]*)[）)]$")
_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")


@dataclass(frozen=True)
class Institution:
    """Who the upload inventories for: the uploading institution, or the one the operator
    names. ``party_type`` is what its own entry among a new patent's patentees defaults
    to."""

    uscc: str
    name: str
    party_type: PartyType


@dataclass(frozen=True)
class InventoryRow:
    """A checked row: the inventory record's facts, and the catalogue facts of a patent
    to register (``registration``: ``POST /v1/patents``' body, checked) when given."""

    number: int
    application_number: str
    inventory: InventoryIn
    registration: PatentCreate | None


class RowRefused(ValueError):
    def __init__(self, field: str | None, reason: str) -> None:
        super().__init__(reason)
        self.field, self.reason = field, reason


def check_row(row: RawRow, institution: Institution) -> InventoryRow | RowError:
    """The row checked, or the first thing wrong with it."""
    try:
        return _checked(row, institution)
    except RowRefused as refused:
        return RowError(row.number, refused.field, refused.reason)


def _checked(row: RawRow, institution: Institution) -> InventoryRow:
    values = {k: v for k, v in row.values.items() if v not in (None, "")}
    for name, value in values.items():
        if _has_nul(value):
            raise RowRefused(name, "contains the NUL character (U+0000), which cannot be stored")
    raw_number = values.get("application_number")
    if not isinstance(raw_number, str):
        raise RowRefused("application_number", "required: the patent's application number")
    try:
        number = ApplicationNumber.parse(raw_number).value
    except InvalidIdentifier as exc:
        raise RowRefused("application_number", str(exc)) from None
    inventory = _validated(
        InventoryIn,
        {
            "willingness": _choice(values.get("willingness"), WILLINGNESS),
            "intended_modes": [_choice(m, MODES) for m in _items(values.get("intended_modes"))],
            "inventors": [_inventor(i) for i in _items(values.get("inventors"))],
            "portfolios": _items(values.get("portfolios")),
            "state_funding_project": values.get("state_funding_project"),
            "notes": values.get("notes"),
        },
    )
    registration = None
    if any(name in values for name in _CATALOGUE):
        facts = {name: values[name] for name in _CATALOGUE if name in values}
        registration = _validated(PatentCreate, _catalogue_body(number, facts, institution))
    return InventoryRow(row.number, number, inventory, registration)


Model = TypeVar("Model", InventoryIn, PatentCreate)
Choice = TypeVar("Choice", Willingness, IntendedMode)


def _has_nul(value: Any) -> bool:
    """PostgreSQL cannot store U+0000. A CSV cell is text; a JSON Lines value may nest,
    and JSON escapes every control character, so one look at its text covers it all."""
    if isinstance(value, str):
        return "\x00" in value
    return "\\u0000" in json.dumps(value)


def _validated(model: type[Model], body: dict[str, Any]) -> Model:
    try:
        return model.model_validate({k: v for k, v in body.items() if v not in (None, [])})
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = [str(part) for part in first["loc"]]
        reason = first["msg"]
        if len(loc) > 1:
            reason = f"{'.'.join(loc[1:])}: {reason}"
        raise RowRefused(loc[0] if loc else None, reason) from None


def _catalogue_body(number: str, facts: dict[str, Any], institution: Institution) -> dict[str, Any]:
    """``POST /v1/patents``' body from the row's cells: lists split, dates and yes/no
    read; no patentees means the institution alone."""
    body: dict[str, Any] = {"application_number": number, **facts}
    if "ipc_codes" in facts:
        body["ipc_codes"] = _items(facts["ipc_codes"])
    for name in ("filing_date", "grant_date"):
        if isinstance(facts.get(name), str):
            body[name] = _date(name, facts[name])
    if isinstance(facts.get("state_funded"), str):
        body["state_funded"] = _yes_no("state_funded", facts["state_funded"])
    if isinstance(facts.get("term_adjustment_days"), str):
        body["term_adjustment_days"] = _integer(
            "term_adjustment_days", facts["term_adjustment_days"]
        )
    given = facts.get("patentees")
    if given is None:
        body["patentees"] = [
            {
                "name": institution.name,
                "uscc": institution.uscc,
                "party_type": institution.party_type.value,
            }
        ]
    elif isinstance(given, str):
        body["patentees"] = _patentees(_items(given), institution)
    return body


def _items(value: Any) -> list[Any]:
    """A list cell: a JSON list as it is, a text split on the separators."""
    if value is None:
        return []
    if isinstance(value, list):
        return value
    if isinstance(value, str):
        return [part.strip() for part in _SEPARATORS.split(value) if part.strip()]
    return [value]


def _choice(value: Any, chinese: dict[str, Choice]) -> Any:
    """A Chinese label as its English value; anything else as given (the model refuses
    what it does not know, naming the allowed values)."""
    return chinese[value].value if isinstance(value, str) and value in chinese else value


def _inventor(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    match = _PARENTHESISED.match(value)
    if match is None:
        return {"name": value}
    return {"name": match["name"].strip(), "contact": match["inner"].strip() or None}


def _patentees(entries: list[str], institution: Institution) -> list[dict[str, Any]]:
    out = []
    for entry in entries:
        match = _PARENTHESISED.match(entry)
        if match is None:
            raise RowRefused(
                "patentees",
                f"{entry!r}: a patentee is written 名称（USCC） or 名称（USCC，份额，类型）",
            )
        parts = [p.strip() for p in re.split(r"[,，]", match["inner"])]
        uscc, share, kind = [*parts, None, None][:3]
        patentee: dict[str, Any] = {"name": match["name"].strip(), "uscc": uscc}
        if share:
            patentee["share"] = _share(share)
        patentee["party_type"] = kind or _party_type(uscc, institution)
        out.append(patentee)
    if len(out) > 1 and any("share" not in p for p in out):
        raise RowRefused(
            "patentees",
            "co-owned: give each patentee's share, 名称（USCC，份额）, adding up to 100",
        )
    return out


def _party_type(uscc: str | None, institution: Institution) -> str:
    """The institution's own entry takes its type; a USCC registered by the market
    regulator (first character 9, GB 32100) is an enterprise's; others a university's,
    the API's default."""
    if uscc == institution.uscc:
        return institution.party_type.value
    if uscc and uscc.startswith("9"):
        return PartyType.ENTERPRISE.value
    return PartyType.UNIVERSITY.value


def _share(text: str) -> str:
    try:
        return str(Decimal(text.rstrip("%％")))
    except InvalidOperation:
        raise RowRefused("patentees", f"share {text!r} is not a number") from None


def _date(field: str, text: str) -> str:
    compact = re.fullmatch(r"(\d{4})(\d{2})(\d{2})", text)
    match = compact or _DATE.match(text)
    if match is None:
        raise RowRefused(field, f"{text!r} is not a date (2017-07-21, 2017/7/21 or 20170721)")
    try:
        return date(*(int(g) for g in match.groups())).isoformat()
    except ValueError:
        raise RowRefused(field, f"{text!r} is not a date of the calendar") from None


def _yes_no(field: str, text: str) -> bool:
    folded = text.strip().lower()
    if folded in _YES:
        return True
    if folded in _NO:
        return False
    raise RowRefused(field, f"{text!r} is not yes or no (是/否, true/false, 1/0)")


def _integer(field: str, text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise RowRefused(field, f"{text!r} is not a whole number") from None
