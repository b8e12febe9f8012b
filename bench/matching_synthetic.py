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

import random
from collections.abc import Iterator
from dataclasses import dataclass, field

# (class, IPC main groups the concordance maps to it, technical terms)
INDUSTRIES: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = [
    (
        "C3841",
        ("H01M 10", "H01M 4"),
        (
            "锂离子电池",
            "正极材料",
            "负极材料",
            "电解液",
            "隔膜",
            "电池管理系统",
            "固态电解质",
            "磷酸铁锂",
            "三元材料",
            "硅碳负极",
            "电芯",
            "化成工艺",
            "热失控",
            "极片涂布",
        ),
    ),
    (
        "C3825",
        ("H01L 31", "H02S 40"),
        (
            "光伏组件",
            "太阳能电池片",
            "钙钛矿",
            "异质结",
            "逆变器",
            "背板",
            "减反射膜",
            "硅片",
            "串焊",
            "汇流箱",
            "跟踪支架",
            "最大功率点跟踪",
            "光伏玻璃",
            "晶硅",
        ),
    ),
    (
        "C3812",
        ("H02K 1", "H02K 21"),
        (
            "永磁同步电机",
            "定子绕组",
            "转子铁芯",
            "伺服电机",
            "电机控制器",
            "扭矩密度",
            "稀土永磁",
            "散热风道",
            "轴承",
            "编码器",
            "变频调速",
            "无刷电机",
            "齿槽转矩",
            "电磁噪声",
        ),
    ),
    (
        "C3921",
        ("H04W 72", "H04B 7"),
        (
            "基站天线",
            "毫米波",
            "波束赋形",
            "射频前端",
            "信道估计",
            "物联网网关",
            "光模块",
            "调制解调",
            "频谱感知",
            "大规模天线阵列",
            "功率放大器",
            "基带芯片",
            "时频同步",
            "边缘计算",
        ),
    ),
    (
        "C3973",
        ("H01L 21", "H01L 23"),
        (
            "集成电路",
            "晶圆",
            "光刻胶",
            "刻蚀",
            "化学机械抛光",
            "封装基板",
            "键合线",
            "芯片封装",
            "薄膜沉积",
            "离子注入",
            "功率器件",
            "碳化硅",
            "氮化镓",
            "晶圆测试",
        ),
    ),
    (
        "C3976",
        ("H01L 33", "H01S 5"),
        (
            "发光二极管",
            "激光器",
            "光电探测器",
            "量子点",
            "外延片",
            "荧光粉",
            "微型显示",
            "光纤耦合",
            "红外探测",
            "光电转换效率",
            "垂直腔面发射",
            "硅光芯片",
            "光波导",
            "像素驱动",
        ),
    ),
    (
        "C3491",
        ("B25J 9", "B25J 11"),
        (
            "工业机器人",
            "机械臂",
            "减速器",
            "末端执行器",
            "视觉定位",
            "路径规划",
            "协作机器人",
            "示教器",
            "力矩传感器",
            "抓取",
            "焊接机器人",
            "轨迹规划",
            "关节模组",
            "运动控制",
        ),
    ),
    (
        "C3443",
        ("F16K 1", "F16K 31"),
        (
            "阀门",
            "阀体",
            "密封圈",
            "电磁阀",
            "球阀",
            "阀座",
            "执行机构",
            "流量调节",
            "泄漏检测",
            "蝶阀",
            "阀杆",
            "耐腐蚀涂层",
            "气动执行器",
            "调节阀",
        ),
    ),
    (
        "C3581",
        ("A61B 5", "A61B 8"),
        (
            "超声成像",
            "心电监护",
            "血氧饱和度",
            "医学影像",
            "内窥镜",
            "穿戴式监测",
            "病灶分割",
            "生理信号",
            "血压测量",
            "探头",
            "影像重建",
            "呼吸监测",
            "体外诊断",
            "手术导航",
        ),
    ),
    (
        "C3562",
        ("H01L 21/67", "C23C 16"),
        (
            "刻蚀机",
            "薄膜沉积设备",
            "晶圆传输",
            "等离子体",
            "真空腔体",
            "反应腔",
            "晶圆清洗",
            "温控卡盘",
            "气体分配",
            "射频电源",
            "原子层沉积",
            "机械手",
            "腔体清洗",
            "晶圆对准",
        ),
    ),
    (
        "C2720",
        ("A61K 9", "A61K 31"),
        (
            "药物制剂",
            "缓释片",
            "纳米载药",
            "口服溶液",
            "注射剂",
            "晶型",
            "生物利用度",
            "辅料",
            "溶出度",
            "靶向给药",
            "冻干粉针",
            "微球",
            "脂质体",
            "原料药",
        ),
    ),
    (
        "C2761",
        ("C07K 16", "C12N 15"),
        (
            "单克隆抗体",
            "重组蛋白",
            "疫苗",
            "细胞培养",
            "基因编辑",
            "抗体偶联药物",
            "表达载体",
            "纯化工艺",
            "免疫原性",
            "细胞株",
            "发酵罐",
            "蛋白纯化",
            "核酸药物",
            "病毒载体",
        ),
    ),
    (
        "C2740",
        ("A61K 36",),
        (
            "中药提取物",
            "黄酮",
            "皂苷",
            "多糖",
            "中药配方颗粒",
            "超临界萃取",
            "指纹图谱",
            "有效成分",
            "炮制工艺",
            "浸膏",
            "挥发油",
            "大孔树脂",
            "中药饮片",
            "药材",
        ),
    ),
    (
        "C2651",
        ("C08G 63", "C08L 67"),
        (
            "聚酯",
            "聚乳酸",
            "可降解塑料",
            "合成树脂",
            "共聚物",
            "熔融指数",
            "增韧剂",
            "聚合反应",
            "催化剂体系",
            "改性塑料",
            "阻燃剂",
            "注塑成型",
            "拉伸强度",
            "生物基材料",
        ),
    ),
    (
        "C2662",
        ("C09K 3", "C09D 5"),
        (
            "涂料",
            "表面活性剂",
            "防腐涂层",
            "助剂",
            "胶黏剂",
            "水性树脂",
            "附着力",
            "固化剂",
            "分散剂",
            "耐候性",
            "防污涂料",
            "纳米填料",
            "导热界面材料",
            "光刻胶剥离液",
        ),
    ),
    (
        "C3612",
        ("B60L 50", "B60L 53"),
        (
            "新能源汽车",
            "整车控制器",
            "动力电池包",
            "充电桩",
            "换电站",
            "能量回收",
            "续航里程",
            "热泵空调",
            "高压线束",
            "驱动电机",
            "车载充电机",
            "电驱桥",
            "快充",
            "电池热管理",
        ),
    ),
    (
        "C3670",
        ("B60R 16", "F16D 65"),
        (
            "汽车零部件",
            "制动系统",
            "转向系统",
            "悬架",
            "车身轻量化",
            "安全气囊",
            "传感器融合",
            "线控底盘",
            "毫米波雷达",
            "座椅调节",
            "车灯模组",
            "减震器",
            "刹车片",
            "变速箱",
        ),
    ),
    (
        "C4014",
        ("G01N 21", "G01N 30"),
        (
            "光谱检测",
            "色谱仪",
            "质谱",
            "气体传感器",
            "水质检测",
            "荧光检测",
            "拉曼光谱",
            "痕量分析",
            "样品前处理",
            "检测精度",
            "比色法",
            "电化学传感器",
            "重金属检测",
            "快速检测",
        ),
    ),
    (
        "C4021",
        ("G01N 33", "G01W 1"),
        (
            "环境监测",
            "颗粒物监测",
            "烟气排放",
            "在线监测仪",
            "污染源",
            "采样泵",
            "挥发性有机物",
            "空气质量",
            "噪声监测",
            "遥感监测",
            "监测站",
            "数据采集仪",
            "臭氧",
            "氨氮",
        ),
    ),
    (
        "C3252",
        ("C22C 21", "B21C 23"),
        (
            "铝合金",
            "挤压型材",
            "轧制",
            "时效处理",
            "铝箔",
            "热处理",
            "晶粒细化",
            "阳极氧化",
            "屈服强度",
            "再结晶",
            "均匀化退火",
            "铸锭",
            "压铸",
            "表面处理",
        ),
    ),
    (
        "C3130",
        ("C21D 8", "C22C 38"),
        (
            "高强度钢",
            "热轧",
            "冷轧",
            "淬火",
            "回火",
            "马氏体",
            "耐磨钢",
            "焊接性能",
            "连铸",
            "控轧控冷",
            "低温韧性",
            "钢板",
            "镀锌",
            "夹杂物",
        ),
    ),
    (
        "I6513",
        ("G06F 16", "G06Q 10"),
        (
            "应用软件",
            "数据库",
            "大数据分析",
            "云平台",
            "推荐算法",
            "知识图谱",
            "数据可视化",
            "智能客服",
            "工作流",
            "低代码",
            "区块链",
            "数据治理",
            "自然语言处理",
            "图像识别",
        ),
    ),
    (
        "I6520",
        ("G06F 30", "H03K 19"),
        (
            "芯片设计",
            "电路仿真",
            "版图设计",
            "验证平台",
            "时钟树",
            "低功耗设计",
            "模拟电路",
            "数模转换器",
            "锁相环",
            "可编程逻辑",
            "处理器架构",
            "存储器",
            "静态时序分析",
            "知识产权核",
        ),
    ),
    (
        "N7721",
        ("C02F 1", "C02F 3"),
        (
            "污水处理",
            "膜分离",
            "活性污泥",
            "反渗透",
            "厌氧消化",
            "脱氮除磷",
            "絮凝剂",
            "污泥脱水",
            "高级氧化",
            "废水回用",
            "生物膜",
            "重金属去除",
            "曝气",
            "消毒",
        ),
    ),
    (
        "N7722",
        ("B01D 53", "F23J 15"),
        (
            "烟气脱硫",
            "脱硝",
            "除尘器",
            "挥发性有机物治理",
            "催化燃烧",
            "活性炭吸附",
            "布袋除尘",
            "湿法脱硫",
            "选择性催化还原",
            "废气处理",
            "等离子净化",
            "光催化",
            "尾气净化",
            "碳捕集",
        ),
    ),
]

# Words a patent and an enterprise may use for the same thing.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "锂离子电池": ("锂电池", "锂电芯"),
    "电池管理系统": ("电池管理平台",),
    "光伏组件": ("太阳能电池板", "光伏板"),
    "逆变器": ("光伏逆变装置",),
    "伺服电机": ("伺服马达",),
    "永磁同步电机": ("永磁电机",),
    "基站天线": ("通信天线",),
    "集成电路": ("芯片",),
    "芯片封装": ("封测",),
    "发光二极管": ("LED",),
    "激光器": ("激光光源",),
    "工业机器人": ("自动化机器人", "机器人"),
    "机械臂": ("机器人手臂", "机械手臂"),
    "减速器": ("减速机",),
    "电磁阀": ("电控阀门",),
    "超声成像": ("超声影像", "B超"),
    "心电监护": ("心电监测",),
    "缓释片": ("缓释制剂",),
    "单克隆抗体": ("单抗",),
    "中药提取物": ("中草药提取物", "植物提取物"),
    "可降解塑料": ("降解材料", "生物降解塑料"),
    "防腐涂层": ("防腐漆",),
    "充电桩": ("充电设施", "充电站"),
    "新能源汽车": ("电动汽车", "电动车"),
    "制动系统": ("刹车系统",),
    "气体传感器": ("气敏传感器",),
    "水质检测": ("水质监测", "水质分析"),
    "环境监测": ("环保监测",),
    "铝合金": ("铝材",),
    "高强度钢": ("高强钢",),
    "大数据分析": ("数据挖掘",),
    "芯片设计": ("集成电路设计", "IC设计"),
    "污水处理": ("废水处理",),
    "烟气脱硫": ("脱硫",),
    "除尘器": ("除尘设备",),
}

# What a technical feature is made of or works by: a term takes one now and then, and
# the pairs (石墨烯隔膜, 柔性机械臂) give a field far more terms than its pool alone.
MODIFIERS = (
    "石墨烯",
    "纳米",
    "陶瓷",
    "柔性",
    "复合",
    "超薄",
    "多孔",
    "梯度",
    "自修复",
    "低温",
    "高压",
    "微波",
    "激光",
    "磁控",
    "仿生",
    "超声波",
    "红外",
    "碳纤维",
    "钛合金",
    "生物质",
    "液冷",
    "无线",
    "数字孪生",
    "自适应",
    "模块化",
    "分布式",
    "微流控",
    "静电纺丝",
    "三维打印",
    "稀土",
    "钙钛",
    "光催化",
    "电化学",
    "超临界",
    "相变",
    "记忆合金",
    "压电",
    "微米级",
    "氢能",
    "氮化硼",
    "气凝胶",
    "碳纳米管",
    "金刚石",
    "蓝宝石",
    "聚酰亚胺",
    "硅胶",
    "玻璃纤维",
    "形状记忆",
    "电磁屏蔽",
    "超导",
    "太赫兹",
    "毫米级",
    "真空镀膜",
    "冷喷涂",
    "热等静压",
    "溶胶凝胶",
    "水热法",
    "离心铸造",
    "粉末冶金",
    "激光熔覆",
    "电泳",
    "微弧氧化",
    "磁悬浮",
    "声表面波",
    "量子",
    "区块链",
    "边缘智能",
    "联邦学习",
    "强化学习",
    "图神经网络",
    "北斗",
    "卫星",
    "水下",
    "高原",
    "极寒",
    "深海",
    "防爆",
    "耐高温",
    "抗辐射",
    "生物相容",
)

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
            add(*_describe(rng, words + [rng.choice(UNRELATED)]), [rng.choice(far)])
    found.extend(enterprises(background, seed=seed + 2))
    rng.shuffle(found)
    return QualitySet(chosen, found, answers)
