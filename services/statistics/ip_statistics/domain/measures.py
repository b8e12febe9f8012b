"""What the statistics count: one measure per kind of act, each counted from one event type
(docs/statistics.md says which and why)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Conflict(StrEnum):
    """What a fact does to an earlier fact with the same natural key (``fact_key``)."""

    # The act happened once: the earliest effective date stands (a redelivery or a
    # restatement of the same act never counts it again).
    FIRST = "first"
    # The act's later statement replaces the earlier one (a feedback answered again, a
    # registration certified again): the newest event's values stand.
    LATEST = "latest"
    # A change of a counted act (a pledge's secured amount changed): its amount and party
    # replace the act's, its effective date stays the act's.
    AMEND = "amend"


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    label_en: str
    amount_label: str | None = None
    tech_amount_label: str | None = None
    details: tuple[str, ...] = ()


MEASURES: tuple[Measure, ...] = (
    Measure(
        "patents_registered",
        "专利入库",
        "Patents registered",
        details=("invention", "utility_model", "design"),
    ),
    Measure(
        "open_license_declarations",
        "开放许可声明",
        "Open-licence declarations",
        details=("lump_sum", "running_royalty", "entry_fee_plus_royalty", "free"),
    ),
    Measure(
        "licenses_granted",
        "专利许可",
        "Licences granted",
        amount_label="合同金额",
        details=("open", "ordinary", "exclusive", "sole"),
    ),
    Measure(
        "license_filings",
        "许可合同备案",
        "Licence filings",
        details=("ordinary", "exclusive", "sole"),
    ),
    Measure(
        "transfers",
        "专利转让",
        "Transfers",
        amount_label="转让价款",
        details=("deal", "pledge_disposal"),
    ),
    Measure("pledges", "专利质押", "Pledges", amount_label="担保债权数额"),
    Measure(
        "tech_contract_registrations",
        "技术合同登记",
        "Technology-contract registrations",
        amount_label="合同成交额",
        tech_amount_label="技术交易额",
        details=("open_license", "negotiated_license", "transfer"),
    ),
    Measure(
        "patents_inventoried",
        "存量专利盘点",
        "Patents inventoried",
        details=("willing", "not_willing", "undecided"),
    ),
    Measure("tier_assignments", "分层分级", "Tier assignments", details=("A", "B", "C", "D")),
    Measure("matching_pushes", "供需对接推送", "Matching pushes", details=("campaign", "routine")),
    Measure("pushes_opened", "推送已读", "Pushes opened"),
    Measure("match_feedback", "企业反馈", "Match feedback", details=("yes", "no", "undecided")),
    Measure(
        "mediation_requests",
        "调解申请",
        "Mediation cases requested",
        details=("licensee", "licensor"),
    ),
    Measure(
        "mediation_outcomes",
        "调解结果",
        "Mediation outcomes",
        details=("settled", "terminated", "refused"),
    ),
)
BY_KEY: dict[str, Measure] = {m.key: m for m in MEASURES}
# What a bank may read: the pledges where it is the pledgee.
PLEDGES = "pledges"
TECH_CONTRACTS = "tech_contract_registrations"
