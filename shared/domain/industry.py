"""Industry codes (GB/T 4754-2017, 国民经济行业分类): the shared home of the rule that a
code is well formed, for every service that reads or checks one.

A code is the section letter followed by the division, group or class digits (``C38``,
``C384``, ``C3841``), hierarchical by prefix.
"""

from __future__ import annotations

import re

# GB/T 4754-2017's sections and the range of two-digit divisions (大类) each holds. The
# divisions are numbered without gaps from 01 (A) to 97 (T), so a range per section is
# the whole list of divisions.
GBT4754_DIVISIONS: dict[str, tuple[int, int]] = {
    "A": (1, 5),  # 农、林、牧、渔业
    "B": (6, 12),  # 采矿业
    "C": (13, 43),  # 制造业
    "D": (44, 46),  # 电力、热力、燃气及水生产和供应业
    "E": (47, 50),  # 建筑业
    "F": (51, 52),  # 批发和零售业
    "G": (53, 60),  # 交通运输、仓储和邮政业
    "H": (61, 62),  # 住宿和餐饮业
    "I": (63, 65),  # 信息传输、软件和信息技术服务业
    "J": (66, 69),  # 金融业
    "K": (70, 70),  # 房地产业
    "L": (71, 72),  # 租赁和商务服务业
    "M": (73, 75),  # 科学研究和技术服务业
    "N": (76, 79),  # 水利、环境和公共设施管理业
    "O": (80, 82),  # 居民服务、修理和其他服务业
    "P": (83, 83),  # 教育
    "Q": (84, 85),  # 卫生和社会工作
    "R": (86, 90),  # 文化、体育和娱乐业
    "S": (91, 96),  # 公共管理、社会保障和社会组织
    "T": (97, 97),  # 国际组织
}
INDUSTRY_CODE = re.compile(r"^[A-T]\d{2,4}$")


def check_industry_code(code: str) -> str:
    """A GB/T 4754-2017 code: section letter and division (``C38``), group (``C384``) or
    class (``C3841``), whose division belongs to the section; ValueError says why not."""
    if not INDUSTRY_CODE.fullmatch(code):
        raise ValueError(
            f"{code!r} is not a GB/T 4754 industry code (section letter A-T and 2-4 digits, "
            "e.g. C38 or C3841)"
        )
    first, last = GBT4754_DIVISIONS[code[0]]
    if not first <= int(code[1:3]) <= last:
        raise ValueError(
            f"{code!r}: GB/T 4754-2017 has no division {code[1:3]} in section {code[0]} "
            f"(its divisions are {first:02d}-{last:02d})"
        )
    return code
