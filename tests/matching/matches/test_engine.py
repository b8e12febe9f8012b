"""The engine: candidates by industry, the combined score, explanations, both directions,
the batch re-match and changes to the seekers."""

from __future__ import annotations

import pytest

from matching.domain.match import IndustryLevel, PatentFacts, Seeker, SeekerKind
from matching.domain.scoring import WEIGHTS
from matching.matches.engine import match_patent, match_seeker, rematch_all
from matching.matches.index import SeekerIndex
from matching.matches.patents import PatentBatch
from matching.matches.ranking import segment
from tests.matching.factories import ConcordanceRow


def profile(
    uscc: str, text: str, codes: tuple[str, ...], region: str = "440305", **kw: object
) -> Seeker:
    return Seeker(uscc, SeekerKind.PROFILE, segment(text), codes, region, **kw)  # type: ignore[arg-type]


SEEKERS = [
    profile("S-battery", "主营锂离子电池正极材料，寻求固态电解质技术", ("C3841",)),
    profile("S-battery-coarse", "锂电池隔膜与电解液，需要固态电解质", ("C38",), "110108"),
    profile("S-solar", "光伏组件与逆变器", ("C3825",)),
    profile("S-motor", "永磁同步电机及电机控制器", ("C3812",)),
    profile("S-software", "固态电解质 锂离子电池 数据平台", ("I6513",)),
    Seeker("need-1", SeekerKind.NEED, segment("固态电解质界面改性"), ("C384",), None),
]

PATENT = PatentFacts(
    application_number="201710601862.3",
    tokens=segment("一种固态电解质锂离子电池", "本发明公开了一种固态电解质及其正极材料"),
    industry_codes=("C3841",),
    region_code="440306",
    tier="A",
    willingness="willing",
    intended_modes=("license",),
    derivations=(ConcordanceRow("H01M 10/0562", "H01M 10", "C3841", "official"),),
)


@pytest.fixture
def index() -> SeekerIndex:
    return SeekerIndex.build(SEEKERS)


def test_a_patent_finds_seekers_of_its_divisions_only(index: SeekerIndex) -> None:
    found = [m.seeker_id for m in match_patent(PATENT, index)]
    assert found[0] == "S-battery"
    # Same words, another division: never a candidate.
    assert "S-software" not in found
    assert set(found) == {"S-battery", "S-battery-coarse", "S-solar", "S-motor", "need-1"}


def test_a_match_explains_itself(index: SeekerIndex) -> None:
    best = match_patent(PATENT, index)[0]
    assert best.weights_version == "2026-12-v1"
    assert best.score == pytest.approx(sum(best.contributions.values()))
    assert best.contributions["industry"] == WEIGHTS.industry_class
    assert best.contributions["region"] == WEIGHTS.region_city
    assert best.contributions["tier"] == WEIGHTS.tier["A"]
    assert {"固态", "电解质", "锂离子", "正极"} <= set(best.matched_terms)
    (link,) = best.industry_links
    assert (link.ipc_key, link.industry_code, link.seeker_code) == ("H01M 10", "C3841", "C3841")
    assert link.level is IndustryLevel.CLASS
    assert link.source == "official"


def test_top_k_is_respected(index: SeekerIndex) -> None:
    assert len(match_patent(PATENT, index, top_k=2)) == 2


def test_the_batch_rematch_gives_what_one_patent_at_a_time_gives(index: SeekerIndex) -> None:
    other = PatentFacts("201810000001.5", segment("光伏组件的逆变器控制方法"), ("C3825", "C3812"))
    alone = {p.application_number: match_patent(p, index) for p in (PATENT, other)}
    for patent, matches in rematch_all([PATENT, other, PATENT], index, batch_size=2):
        expected = alone[patent.application_number]
        assert [m.seeker_id for m in matches] == [m.seeker_id for m in expected]
        for got, want in zip(matches, expected, strict=True):
            assert got.contributions == pytest.approx(want.contributions)
            assert (got.matched_terms, got.industry_links) == (
                want.matched_terms,
                want.industry_links,
            )


def test_a_pair_scores_the_same_in_both_directions(index: SeekerIndex) -> None:
    from_patent = {m.seeker_id: m for m in match_patent(PATENT, index)}
    for seeker in SEEKERS[:2] + SEEKERS[-1:]:
        (from_seeker,) = match_seeker(seeker, [PATENT], index)
        assert from_seeker.score == pytest.approx(from_patent[seeker.seeker_id].score)
        assert from_seeker.contributions == pytest.approx(
            from_patent[seeker.seeker_id].contributions
        )
        assert from_seeker.matched_terms == from_patent[seeker.seeker_id].matched_terms


def test_a_seeker_finds_patents_of_its_divisions_ranked(index: SeekerIndex) -> None:
    solar = PatentFacts("201810000001.5", segment("光伏组件的逆变器"), ("C3825",))
    software = PatentFacts("201810000002.3", segment("固态电解质锂离子电池数据"), ("I6513",))
    batch = PatentBatch.build([solar, software, PATENT], index)
    found = match_seeker(SEEKERS[0], batch, index)
    assert [m.application_number for m in found] == [
        PATENT.application_number,
        solar.application_number,
    ]


def test_feedback_lifts_an_industry_for_that_seeker(index: SeekerIndex) -> None:
    before = {m.seeker_id: m.score for m in match_patent(PATENT, index)}
    liked = profile("S-motor", "永磁同步电机及电机控制器", ("C3812",), affinity={"C38": 0.6})
    index.upsert(liked)
    after = {m.seeker_id: m for m in match_patent(PATENT, index)}
    assert after["S-motor"].contributions["feedback"] == pytest.approx(0.6 * WEIGHTS.feedback)
    assert after["S-motor"].score > before["S-motor"]


def test_upsert_replaces_and_remove_drops(index: SeekerIndex) -> None:
    index.upsert(profile("S-solar", "固态电解质锂离子电池正极材料", ("C3841",)))
    found = [m.seeker_id for m in match_patent(PATENT, index)]
    assert found.count("S-solar") == 1
    assert found.index("S-solar") < found.index("S-motor")
    index.remove(SeekerKind.PROFILE, "S-battery")
    assert "S-battery" not in [m.seeker_id for m in match_patent(PATENT, index)]
    assert "S-battery" not in [m.seeker_id for _, ms in rematch_all([PATENT], index) for m in ms]
    assert len(index) == len(SEEKERS) - 1


def test_a_patent_of_no_known_division_matches_nobody(index: SeekerIndex) -> None:
    lone = PatentFacts("201810000003.1", segment("固态电解质"), ("A0111",))
    assert match_patent(lone, index) == []
    assert list(rematch_all([lone], index)) == [(lone, [])]
