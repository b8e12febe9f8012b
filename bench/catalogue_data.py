"""The synthetic catalogue of bench/catalogue.py and bench/relevance.py: deterministic
Chinese patents built from ten technical fields.

Each patent is about one concept of its field (锂离子电池, 光伏组件 ...) and one aspect
(检测方法, 制备方法 ...). A concept has several surface forms, as real patents write it
(锂离子电池 / 锂电池, 光伏组件 / 太阳能组件): the title uses one, the abstract repeats the
concept one to three times in forms drawn anew, and names a concept of another field once
as where it applies. So term frequency, synonyms and passing mentions differ from patent
to patent, and a relevance ranking has something to decide. ``synthetic`` also returns
what each patent is about (its :class:`Topic`): the labels of the relevance set.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from shared.domain import application_number_check_digit, uscc_check_character

# (IPC symbol, concepts); a concept is its surface forms, the first one canonical.
FIELDS: list[tuple[str, list[tuple[str, ...]]]] = [
    (
        "H01M 10/48",
        [
            ("锂离子电池", "锂电池"),
            ("电池管理系统", "BMS"),
            ("固态电池", "全固态电池"),
            ("钠离子电池", "钠电池"),
            ("液流电池",),
        ],
    ),
    (
        "G06N 3/08",
        [
            ("神经网络", "人工神经网络"),
            ("深度学习模型", "深度神经网络模型"),
            ("图像识别模型", "视觉识别模型"),
            ("自然语言处理模型", "NLP模型"),
        ],
    ),
    (
        "H01L 21/02",
        [
            ("半导体器件",),
            ("芯片封装结构", "集成电路封装"),
            ("功率器件", "功率半导体"),
            ("晶圆", "硅片"),
        ],
    ),
    (
        "H02S 40/10",
        [("光伏组件", "太阳能组件"), ("太阳能电池板", "光伏板"), ("光伏逆变器", "太阳能逆变器")],
    ),
    ("A61K 36/00", [("中药提取物", "中草药提取物"), ("药物组合物",), ("抗体药物", "单克隆抗体")]),
    ("B25J 9/16", [("工业机器人",), ("机械臂", "机械手臂"), ("协作机器人",)]),
    (
        "G01N 21/31",
        [
            ("光谱检测装置", "光谱分析仪"),
            ("气体传感器", "气敏传感器"),
            ("水质检测仪", "水质监测仪"),
        ],
    ),
    (
        "H04W 72/04",
        [("无线通信终端", "移动终端"), ("基站天线",), ("物联网网关", "IoT网关")],
    ),
    ("C22C 38/02", [("高强度钢", "高强钢"), ("铝合金型材",), ("高熵合金",)]),
    ("B60L 53/10", [("充电桩", "充电站"), ("新能源汽车电驱系统", "电驱系统"), ("换电站",)]),
]
# (title suffix, the aspect's own words: how a query names it, how the abstract does)
ASPECTS: list[tuple[str, tuple[str, ...]]] = [
    ("制备方法", ("制备", "合成")),
    ("检测方法", ("检测", "监测")),
    ("控制系统", ("控制", "调控")),
    ("装置及方法", ("装置",)),
    ("优化方法", ("优化",)),
    ("故障诊断方法", ("故障诊断", "故障检测")),
    ("生产工艺", ("生产工艺", "加工工艺")),
]
ADJECTIVES = [
    "",
    "高效",
    "低成本",
    "基于温度补偿的",
    "可回收",
    "智能",
    "轻量化",
    "低功耗",
    "高可靠",
]
STEPS = [
    "预处理",
    "特征提取",
    "参数标定",
    "热处理",
    "涂覆",
    "封装",
    "在线监测",
    "数据融合",
    "模型训练",
]
EFFECTS = ["显著降低了能耗", "提高了检测精度", "延长了使用寿命", "降低了生产成本", "提升了安全性"]
REGIONS = ["110108", "310104", "440305", "440106", "320106", "330106", "420111", "510107", "610113"]
OWNERS = [
    ("清华大学", "university"),
    ("浙江大学", "university"),
    ("华中科技大学", "university"),
    ("中国科学院物理研究所", "research_institute"),
    ("深圳市新能储能科技有限公司", "enterprise"),
    ("比亚迪股份有限公司", "enterprise"),
    ("宁德时代新能源科技股份有限公司", "enterprise"),
]
# The latency rows' keywords, each found in many patents.
KEYWORDS = {
    2: ["电池", "芯片", "光伏", "检测", "合金", "机器"],
    3: ["锂离子", "机械臂", "充电桩", "半导体", "传感器"],
    4: ["神经网络", "固态电池", "光伏组件", "故障诊断", "高熵合金"],
}
# Two-keyword queries: a concept and an aspect, as people type them.
TWO_KEYWORDS = ["锂电池 检测", "光伏 逆变器", "神经网络 优化", "机械臂 控制", "高熵合金 制备"]
FILTERS = {"ipc": "H01M", "region": "44"}
FILTER_KEYS = (frozenset({"ipc:H01M"}), frozenset({"region:44"}))


@dataclass(frozen=True)
class Topic:
    """What a synthetic patent is about: its field, concept and aspect (indexes)."""

    field: int
    concept: int
    aspect: int


def uscc(serial: int) -> str:
    body = f"91440300{serial:09d}"
    return body + uscc_check_character(body)


OWNER_USCC = [uscc(1000 + i) for i in range(len(OWNERS))]


def synthetic(count: int, seed: int = 20261123) -> Iterator[tuple[dict[str, Any], Topic]]:
    """Deterministic synthetic patents, as listing's API takes them, with their topics."""
    rng = random.Random(seed)
    for i in range(count):
        f = rng.randrange(len(FIELDS))
        ipc, concepts = FIELDS[f]
        c = rng.randrange(len(concepts))
        forms = concepts[c]
        a = rng.randrange(len(ASPECTS))
        method, aspect_words = ASPECTS[a]
        year = rng.randint(2012, 2023)
        body = f"{year}1{i:07d}"
        owner = rng.randrange(len(OWNERS))
        filed = date(year, 1, 1) + timedelta(days=rng.randrange(360))
        steps = "、".join(rng.sample(STEPS, 3))
        elsewhere = rng.choice(rng.choice(FIELDS)[1])[0]
        repeats = "".join(
            f"所述{rng.choice(forms)}经{rng.choice(aspect_words)}后{rng.choice(EFFECTS)}；"
            for _ in range(rng.randint(0, 2))
        )
        yield (
            {
                "application_number": f"{body}.{application_number_check_digit(body)}",
                "title": f"一种{rng.choice(ADJECTIVES)}{rng.choice(forms)}的{method}",
                "abstract": f"本发明公开了一种{rng.choice(forms)}及其实现方法，包括{steps}等步骤，"
                f"{repeats}{rng.choice(EFFECTS)}，适用于{elsewhere}等场景。",
                "ipc_codes": [ipc],
                "region_code": rng.choice(REGIONS),
                "filing_date": filed.isoformat(),
                "grant_date": (filed + timedelta(days=rng.randint(400, 1200))).isoformat(),
                "patentees": [
                    {
                        "name": OWNERS[owner][0],
                        "uscc": OWNER_USCC[owner],
                        "share": "100",
                        "party_type": OWNERS[owner][1],
                    }
                ],
            },
            Topic(f, c, a),
        )


def patents(count: int, seed: int = 20261123) -> Iterator[dict[str, Any]]:
    """Deterministic synthetic patents, as listing's API takes them."""
    for patent, _ in synthetic(count, seed):
        yield patent
