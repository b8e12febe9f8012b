"""The push rules (domain/inbox.py): consent, opt-in and opt-out by prefix, one push per
revision, only matchable patents, best first, the rolling 7-day cap."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from matching.domain.inbox import (
    Explanation,
    ExplanationBasis,
    Push,
    PushCandidate,
    Recipient,
    choose_pushes,
    concordance_links,
    room_in_window,
)

NOW = datetime(2026, 12, 6, 10, tzinfo=UTC)
EXPLAINED = Explanation(
    factors={"text": 0.5}, matched_terms=("电池",), industry_links=(), weights_version="v1"
)


def _recipient(**overrides: object) -> Recipient:
    values: dict[str, object] = {
        "uscc": "91440300MA5FXXXX01",
        "org_id": "enterprise-1",
        "name": "深圳某电池有限公司",
        "push_consent": True,
    }
    values.update(overrides)
    return Recipient(**values)  # type: ignore[arg-type]


def _candidate(number: str, score: float, **overrides: object) -> PushCandidate:
    values: dict[str, object] = {
        "application_number": number,
        "revision": 1,
        "matchable": True,
        "industry_codes": ("C3841",),
        "score": score,
        "explanation": EXPLAINED,
    }
    values.update(overrides)
    return PushCandidate(**values)  # type: ignore[arg-type]


def _numbers(chosen: list[PushCandidate]) -> list[str]:
    return [c.application_number for c in chosen]


def test_without_consent_nothing_is_pushed() -> None:
    chosen = choose_pushes(
        _recipient(push_consent=False), [_candidate("a", 1.0)], pushed_revisions={}, room=5
    )
    assert chosen == []


def test_best_scores_first_within_the_room() -> None:
    candidates = [_candidate("a", 0.2), _candidate("b", 0.9), _candidate("c", 0.5)]
    chosen = choose_pushes(_recipient(), candidates, pushed_revisions={}, room=2)
    assert _numbers(chosen) == ["b", "c"]


def test_an_opted_out_industry_is_never_pushed_by_prefix() -> None:
    recipient = _recipient(industries_opted_out=("C38",))
    candidates = [
        _candidate("a", 0.9, industry_codes=("C3841",)),
        _candidate("b", 0.8, industry_codes=("C3990", "C3841")),
        _candidate("c", 0.7, industry_codes=("C3990",)),
    ]
    chosen = choose_pushes(recipient, candidates, pushed_revisions={}, room=5)
    assert _numbers(chosen) == ["c"]


def test_opted_in_industries_are_the_only_ones_pushed() -> None:
    recipient = _recipient(industries_opted_in=("C384",))
    candidates = [
        _candidate("a", 0.9, industry_codes=("C3990",)),
        _candidate("b", 0.8, industry_codes=("C3841",)),
    ]
    chosen = choose_pushes(recipient, candidates, pushed_revisions={}, room=5)
    assert _numbers(chosen) == ["b"]


def test_the_same_revision_twice_never_a_higher_one_again() -> None:
    candidates = [_candidate("a", 0.9, revision=2), _candidate("b", 0.8, revision=3)]
    chosen = choose_pushes(_recipient(), candidates, pushed_revisions={"a": 1, "b": 3}, room=5)
    assert _numbers(chosen) == ["a"]


def test_unmatchable_patents_are_not_pushed() -> None:
    candidates = [_candidate("a", 0.9, matchable=False), _candidate("b", 0.1)]
    chosen = choose_pushes(_recipient(), candidates, pushed_revisions={}, room=5)
    assert _numbers(chosen) == ["b"]


def test_the_cap_counts_the_last_7_days_only() -> None:
    pushed = [NOW - timedelta(days=1)] * 3 + [NOW - timedelta(days=7, seconds=1)] * 10
    assert room_in_window(pushed, NOW, cap=5) == 2
    assert room_in_window([NOW - timedelta(hours=1)] * 6, NOW, cap=5) == 0


def test_a_push_opens_once() -> None:
    push = Push.of(_recipient(), _candidate("a", 0.9), NOW)
    assert push.open(NOW + timedelta(minutes=1)) is True
    assert push.open(NOW + timedelta(minutes=2)) is False
    assert push.opened_at == NOW + timedelta(minutes=1)


def test_an_explanation_survives_its_snapshot() -> None:
    explanation = Explanation(
        factors={"industry": 0.2, "text": 0.4},
        matched_terms=("锂电池",),
        industry_links=({"industry_code": "C3841", "seeker_code": "C384", "level": "group"},),
        weights_version="2026-12-v1",
        via_need_id="need-1",
    )
    assert Explanation.from_dict(explanation.as_dict()) == explanation


def test_concordance_links_nest_either_way() -> None:
    links = concordance_links(("C3841", "I6510"), ("C38", "C38411"))
    assert [(link["industry_code"], link["seeker_code"], link["level"]) for link in links] == [
        ("C3841", "C38", "division"),
        ("C3841", "C38411", "class"),
    ]
    assert ExplanationBasis.INDUSTRY.value == "industry"
