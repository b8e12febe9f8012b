"""The tier rules of docs/inventory.md and the code cannot drift: every worked example
of the doc is checked against compute_tier; and the inventory's domain rules."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from listing.domain.inventory import (
    Evaluation,
    EvaluationKind,
    InventoryRecord,
    TierSource,
    Willingness,
    evaluation_that_counts,
)
from listing.domain.tiers import RULES_V1, FeedbackCounts, Tier, TierInputs, compute_tier

pytestmark = pytest.mark.unit

DOC = Path(__file__).resolve().parents[2] / "docs" / "inventory.md"


def worked_examples() -> list[tuple[TierInputs, str, str]]:
    text = DOC.read_text(encoding="utf-8")
    block = re.search(r"<!-- worked-examples -->\n(.*?)<!-- /worked-examples -->", text, re.S)
    assert block is not None, "docs/inventory.md lost its worked examples"
    examples = []
    for line in block.group(1).splitlines()[2:]:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        r, p, willing, unwilling, positive, negative = (int(c) for c in cells[:6])
        inputs = TierInputs(r, p, FeedbackCounts(willing, unwilling, positive, negative))
        examples.append((inputs, cells[6], cells[7]))
    return examples


def test_the_doc_has_an_example_for_every_rule() -> None:
    assert {rule for _, _, rule in worked_examples()} == {r.id for r in RULES_V1}


@pytest.mark.parametrize(("inputs", "tier", "rule"), worked_examples())
def test_every_worked_example_of_the_doc_holds(inputs: TierInputs, tier: str, rule: str) -> None:
    result = compute_tier(inputs)
    assert (result.tier.value, result.rule_id) == (tier, rule)
    assert result.rule_version == "2026-12-v1"
    assert result.reasons[0].startswith(rule)


def test_the_doc_prints_every_rule_of_the_table() -> None:
    text = DOC.read_text(encoding="utf-8")
    for rule in RULES_V1:
        assert re.search(rf"^\| {rule.id} \| {rule.tier.value} \|", text, re.M), rule.id


NOW = datetime(2026, 12, 6, tzinfo=UTC)


def evaluation(kind: EvaluationKind, version: int, readiness: int, prospects: int) -> Evaluation:
    return Evaluation(
        "201710601862.3", kind, version, "org", "某大学", None, "李明", NOW,
        readiness, "储能", (), prospects, "良好",
    )  # fmt: skip


def test_the_institution_evaluation_counts_before_the_self_assessment() -> None:
    self_2 = evaluation(EvaluationKind.SELF_ASSESSMENT, 2, 9, 5)
    inst_1 = evaluation(EvaluationKind.INSTITUTION, 1, 4, 2)
    inst_2 = evaluation(EvaluationKind.INSTITUTION, 2, 6, 3)
    assert evaluation_that_counts([self_2]) == self_2
    assert evaluation_that_counts([self_2, inst_2, inst_1]) == inst_2
    assert evaluation_that_counts([]) is None


def test_a_readiness_level_of_12_is_refused() -> None:
    with pytest.raises(ValueError, match="readiness_level"):
        evaluation(EvaluationKind.INSTITUTION, 1, 12, 3)


def test_an_override_holds_while_the_computed_tier_moves_underneath() -> None:
    record = InventoryRecord("201710601862.3", "uscc", "某大学", Willingness.WILLING, "o", NOW, NOW)
    first = record.retier(evaluation(EvaluationKind.INSTITUTION, 1, 8, 5), FeedbackCounts())
    assert first is not None
    assert first.in_force
    assert record.tier is Tier.A
    override = record.override(Tier.C, "需要补充中试数据")
    assert (override.tier, override.previous_tier, override.in_force) == (Tier.C, Tier.A, True)
    under = record.retier(evaluation(EvaluationKind.INSTITUTION, 2, 6, 3), FeedbackCounts())
    assert under is not None
    assert not under.in_force
    assert under.tier is Tier.B
    assert record.tier is Tier.C
    cleared = record.clear_override()
    assert cleared is not None
    assert cleared.source is TierSource.OVERRIDE_CLEARED
    assert (cleared.tier, cleared.previous_tier, record.tier) == (Tier.B, Tier.C, Tier.B)
    assert record.clear_override() is None
    with pytest.raises(ValueError, match="reason"):
        record.override(Tier.A, "  ")
