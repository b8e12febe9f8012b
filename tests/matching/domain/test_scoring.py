"""The scoring rules of the matching engine, one factor at a time (weights 2026-12-v1)."""

from __future__ import annotations

import pytest

from matching.domain.match import IndustryLevel, PatentFacts
from matching.domain.scoring import (
    WEIGHTS,
    WEIGHTS_VERSION,
    available_modes,
    best_industry_level,
    feedback_value,
    industry_level,
    industry_links,
    pair_contributions,
    patent_contributions,
    region_match,
)
from tests.matching.factories import ConcordanceRow


def patent(**changes: object) -> PatentFacts:
    facts: dict[str, object] = {
        "application_number": "201710601862.3",
        "tokens": ("锂离子", "电池"),
        "industry_codes": ("C3841",),
    }
    facts.update(changes)
    return PatentFacts(**facts)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("a", "b", "level"),
    [
        ("C3841", "C3841", IndustryLevel.CLASS),
        ("C3841", "C3842", IndustryLevel.GROUP),
        ("C3841", "C384", IndustryLevel.GROUP),
        ("C3841", "C3825", IndustryLevel.DIVISION),
        ("C3841", "C38", IndustryLevel.DIVISION),
        ("C38", "C38", IndustryLevel.DIVISION),
        ("C3841", "C3921", None),
        ("C3841", "I6513", None),
    ],
)
def test_industry_level_is_the_longest_level_both_codes_share(
    a: str, b: str, level: IndustryLevel | None
) -> None:
    assert industry_level(a, b) is level
    assert industry_level(b, a) is level


def test_the_closest_meeting_counts_and_weighs_more_the_closer_it_is() -> None:
    assert best_industry_level(["C3841", "C3921"], ["C3925", "C3841"]) is IndustryLevel.CLASS
    assert best_industry_level(["C3841"], ["I6513"]) is None
    assert WEIGHTS.industry_class > WEIGHTS.industry_group > WEIGHTS.industry_division > 0
    assert WEIGHTS.industry(None) == 0


def test_industry_links_say_which_ipc_key_led_to_which_code_and_what_it_met() -> None:
    rows = [
        ConcordanceRow("H01M 10/052", "H01M 10", "C3841", "official"),
        ConcordanceRow("H01M 4/13", "H01M", "C3841", "compiled"),
    ]
    links = industry_links(["C3841", "C3921"], rows, ["C38", "C3841"])
    assert [(link.seeker_code, link.level, link.ipc_key) for link in links] == [
        ("C3841", IndustryLevel.CLASS, "H01M 10"),
        ("C3841", IndustryLevel.CLASS, "H01M"),
        ("C38", IndustryLevel.DIVISION, "H01M 10"),
        ("C38", IndustryLevel.DIVISION, "H01M"),
    ]
    assert {link.source for link in links} == {"official", "compiled"}
    assert industry_links(["C3841"], [], ["C3841"])[0].ipc_code is None


@pytest.mark.parametrize(
    ("patent_region", "seeker_region", "level"),
    [
        ("440305", "440306", "city"),
        ("440305", "440106", "province"),
        ("440000", "440305", "province"),
        ("440305", "110108", None),
        (None, "110108", None),
    ],
)
def test_region_same_city_before_same_province(
    patent_region: str | None, seeker_region: str, level: str | None
) -> None:
    assert region_match(patent_region, seeker_region) == level


def test_tier_willingness_and_modes_order() -> None:
    def share(**changes: object) -> dict[str, float]:
        return patent_contributions(patent(**changes))

    tiers = [share(tier=t)["tier"] for t in ("A", "B", "C", None, "D")]
    assert tiers == sorted(tiers, reverse=True)
    assert len(set(tiers)) == 5
    will = [share(willingness=w)["willingness"] for w in ("willing", "undecided", "not_willing")]
    assert will == sorted(will, reverse=True)
    assert len(set(will)) == 3
    assert share(intended_modes=("equity_investment",))["modes"] == 0
    assert share(intended_modes=("license",))["modes"] == WEIGHTS.modes
    assert share(declared=True)["modes"] == WEIGHTS.modes
    assert available_modes(patent(listed=True)) == {"license", "transfer"}


def test_the_most_specific_code_with_feedback_counts() -> None:
    # The class, else its division (the feedback area gives affinities per division).
    mixed = {"C38": -0.5, "C3841": 0.5}
    assert feedback_value(mixed, ["C3841"]) == 0.5
    assert feedback_value(mixed, ["C3825"]) == -0.5
    assert feedback_value(mixed, ["C3921"]) == 0


def test_pair_contributions_name_every_factor_and_the_version() -> None:
    contributions = pair_contributions(
        patent(region_code="440305", tier="A"), ["C3841"], "440306", {"C38": 1.0}, bm25=20.0
    )
    assert set(contributions) == {
        "industry",
        "text",
        "region",
        "tier",
        "willingness",
        "modes",
        "feedback",
    }
    assert contributions["industry"] == WEIGHTS.industry_class
    assert contributions["text"] == pytest.approx(
        WEIGHTS.text * 20 / (20 + WEIGHTS.text_saturation)
    )
    assert contributions["region"] == WEIGHTS.region_city
    assert contributions["feedback"] == WEIGHTS.feedback
    assert WEIGHTS.version == WEIGHTS_VERSION == "2026-12-v1"
