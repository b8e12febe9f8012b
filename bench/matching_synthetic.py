"""Synthetic patents and enterprises for the matching benchmarks, deterministic by seed.

Industries are GB/T 4754-2017 classes, each with the IPC main groups the concordance
leads from and a pool of technical terms. A patent takes a few terms of its class; an
enterprise describes its products and technical needs with terms of its classes. The
quality set (:func:`quality_set`) knows its answers: for each chosen patent, enterprises
generated from the patent's own industries and terms, then perturbed (synonyms from
:data:`SYNONYMS`, another phrasing, unrelated words, a sibling, coarser or missing
class), among distractors (same class with other terms; other industries using the
patent's words).
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

# The term tables: GB/T 4754 classes with the IPC main groups the concordance maps to
# them and their technical terms; synonyms an enterprise may write instead; modifiers
# (what a feature is made of or works by) that give a field far more terms than its pool.
_TABLES = json.loads((Path(__file__).with_name("matching_terms.json")).read_text("utf-8"))
INDUSTRIES: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = [
    (row["code"], tuple(row["ipc_groups"]), tuple(row["terms"])) for row in _TABLES["industries"]
]
SYNONYMS: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in _TABLES["synonyms"].items()}
MODIFIERS: tuple[str, ...] = tuple(_TABLES["modifiers"])

# Words of nobody's technology, and terms borrowed from a far industry.
UNRELATED = (
    "品牌推广",
    "供应链金融",
    "员工培训",
    "连锁门店",
    "跨境电商",
    "物业管理",
    "会展服务",
    "直播带货",
    "仓储物流",
    "售后服务",
)
ADJECTIVES = ("", "高效", "低成本", "智能", "轻量化", "低功耗", "高可靠", "可回收", "模块化")
METHODS = ("制备方法", "检测方法", "控制系统", "装置及方法", "优化方法", "生产工艺", "处理系统")
EFFECTS = ("显著降低了能耗", "提高了检测精度", "延长了使用寿命", "降低了生产成本", "提升了安全性")
REGIONS = (
    "110108",
    "310104",
    "440305",
    "440106",
    "320106",
    "330106",
    "420111",
    "510107",
    "610113",
    "440307",
    "320585",
    "330212",
)
TIERS = ("A", "B", "C", "D", None)
WILLINGNESS = ("willing", "undecided", "not_willing", None)
MODES = ("transfer", "license", "open_license", "equity_investment", "joint_development")


@dataclass
class SyntheticPatent:
    application_number: str
    title: str
    abstract: str
    ipc_codes: list[str]
    industry_codes: list[str]
    region_code: str
    tier: str | None
    willingness: str | None
    intended_modes: list[str]
    declared: bool
    listed: bool
    terms: list[str] = field(default_factory=list)


@dataclass
class SyntheticEnterprise:
    enterprise_id: str
    products: str
    technical_needs: str
    industry_codes: list[str]
    region_code: str


def _application_number(serial: int) -> str:
    body = f"2020{1 + serial // 10_000_000}{serial % 10_000_000:07d}"
    total = sum(int(d) * w for d, w in zip(body, (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5), strict=True))
    check = total % 11
    return f"{body}.{'X' if check == 10 else check}"


def _featured(rng: random.Random, terms: list[str]) -> list[str]:
    return [rng.choice(MODIFIERS) + t if rng.random() < 0.9 else t for t in terms]


def _synonym(rng: random.Random, term: str) -> str:
    for word, synonyms in SYNONYMS.items():
        if term.endswith(word):
            return term[: -len(word)] + rng.choice(synonyms)
    return term


def _patent(rng: random.Random, serial: int, primary: int, second: int | None) -> SyntheticPatent:
    code, groups, pool = INDUSTRIES[primary]
    terms = _featured(rng, rng.sample(pool, rng.randint(4, 5)))
    codes, ipcs = [code], [f"{rng.choice(groups)}/{rng.randint(1, 60):02d}"]
    if second is not None:
        other_code, other_groups, other_pool = INDUSTRIES[second]
        terms.append(rng.choice(other_pool))
        codes.append(other_code)
        ipcs.append(f"{rng.choice(other_groups)}/{rng.randint(1, 60):02d}")
    rest = "、".join(terms[2:])
    return SyntheticPatent(
        application_number=_application_number(serial),
        title=f"一种{rng.choice(ADJECTIVES)}{terms[0]}的{rng.choice(METHODS)}",
        abstract=f"本发明公开了一种{terms[0]}及{terms[1]}，包括{rest}等，{rng.choice(EFFECTS)}。",
        ipc_codes=ipcs,
        industry_codes=codes,
        region_code=rng.choice(REGIONS),
        tier=rng.choice(TIERS),
        willingness=rng.choice(WILLINGNESS),
        intended_modes=rng.sample(MODES, rng.randint(0, 2)),
        declared=rng.random() < 0.1,
        listed=rng.random() < 0.2,
        terms=terms,
    )


def patents(count: int, seed: int = 20261206) -> Iterator[SyntheticPatent]:
    """Patents spread over the industries; a fifth also belong to a second class."""
    rng = random.Random(seed)
    for serial in range(count):
        primary = rng.randrange(len(INDUSTRIES))
        second = rng.randrange(len(INDUSTRIES)) if rng.random() < 0.2 else None
        yield _patent(rng, serial, primary, second if second != primary else None)


_PRODUCT_PHRASES = ("主营{a}、{b}等产品", "公司生产{a}和{b}", "专注于{a}及{b}的研发与销售")
_NEED_PHRASES = (
    "寻求{a}相关技术，改进{b}",
    "希望引进{a}技术以提升{b}性能",
    "需要解决{a}和{b}方面的技术难题",
)


def _describe(rng: random.Random, terms: list[str]) -> tuple[str, str]:
    padded = terms + [rng.choice(UNRELATED)] * max(0, 4 - len(terms))
    products = rng.choice(_PRODUCT_PHRASES).format(a=padded[0], b=padded[1])
    needs = rng.choice(_NEED_PHRASES).format(a=padded[2], b=padded[3])
    for extra in padded[4:]:
        needs += f"，涉及{extra}"
    return products, needs


def enterprises(count: int, seed: int = 20261207) -> Iterator[SyntheticEnterprise]:
    """Enterprises of one to three classes, describing products and needs in their terms."""
    rng = random.Random(seed)
    for serial in range(count):
        chosen = rng.sample(range(len(INDUSTRIES)), rng.choice((1, 1, 2, 3)))
        terms = _featured(rng, [t for i in chosen for t in rng.sample(INDUSTRIES[i][2], 2)])
        rng.shuffle(terms)
        products, needs = _describe(rng, terms[:5])
        yield SyntheticEnterprise(
            enterprise_id=f"E{serial:07d}",
            products=products,
            technical_needs=needs,
            industry_codes=[INDUSTRIES[i][0] for i in chosen],
            region_code=rng.choice(REGIONS),
        )


def _perturbed_codes(rng: random.Random, code: str) -> list[str]:
    """The enterprise's view of the patent's class: exact, a sibling class of the same
    group or division, the group or division alone (coarser)."""
    roll = rng.random()
    if roll < 0.45:
        return [code]
    if roll < 0.60:
        siblings = [c for c, _, _ in INDUSTRIES if c[:3] == code[:3] and c != code]
        return [rng.choice(siblings)] if siblings else [code[:4]]
    if roll < 0.80:
        return [code[:4]]
    return [code[:3]]


def _perturbed_terms(rng: random.Random, terms: list[str]) -> list[str]:
    kept = rng.sample(terms, rng.randint(3, min(4, len(terms))))
    out = [_synonym(rng, t) if rng.random() < 0.4 else t for t in kept]
    out += rng.sample(UNRELATED, rng.randint(1, 2))
    rng.shuffle(out)
    return out


@dataclass
class QualitySet:
    patents: list[SyntheticPatent]
    enterprises: list[SyntheticEnterprise]
    relevant: dict[str, set[str]]  # application number -> enterprise ids


def quality_set(
    queries: int = 200,
    relevant: int = 10,
    same_class_distractors: int = 30,
    similar_word_distractors: int = 10,
    background: int = 10_000,
    seed: int = 20261208,
) -> QualitySet:
    """Chosen patents, each with ``relevant`` enterprises generated from it, its
    distractors, and ``background`` ordinary enterprises; everything shuffled."""
    rng = random.Random(seed)
    chosen = list(patents(queries, seed=seed + 1))
    found: list[SyntheticEnterprise] = []
    answers: dict[str, set[str]] = {}
    serial = 0

    def add(products: str, needs: str, codes: list[str]) -> str:
        nonlocal serial
        serial += 1
        found.append(
            SyntheticEnterprise(f"Q{serial:07d}", products, needs, codes, rng.choice(REGIONS))
        )
        return f"Q{serial:07d}"

    for patent in chosen:
        code = patent.industry_codes[0]
        pool = next(p for c, _, p in INDUSTRIES if c == code)
        ids = set()
        for _ in range(relevant):
            codes = _perturbed_codes(rng, code)
            if rng.random() < 0.3:
                codes.append(rng.choice(INDUSTRIES)[0])
            ids.add(add(*_describe(rng, _perturbed_terms(rng, patent.terms)), codes))
        answers[patent.application_number] = ids
        others = [t for t in pool if not any(term.endswith(t) for term in patent.terms)]
        for _ in range(same_class_distractors):
            add(*_describe(rng, _featured(rng, rng.sample(others, 4))), [code])
        far = [c for c, _, _ in INDUSTRIES if c[:3] != code[:3]]
        for _ in range(similar_word_distractors):
            words = rng.sample(patent.terms, min(3, len(patent.terms)))
            add(*_describe(rng, [*words, rng.choice(UNRELATED)]), [rng.choice(far)])
    found.extend(enterprises(background, seed=seed + 2))
    rng.shuffle(found)
    return QualitySet(chosen, found, answers)
