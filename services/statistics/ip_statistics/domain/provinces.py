"""Provincial-level divisions of GB/T 2260 (34: provinces, autonomous regions,
municipalities, Taiwan, Hong Kong, Macao), by their six-digit code, and how a patent's
region code places it."""

from __future__ import annotations

from shared.domain.region import PROVINCE_CODES

PROVINCE_NAMES: dict[str, str] = {
    "110000": "北京市",
    "120000": "天津市",
    "130000": "河北省",
    "140000": "山西省",
    "150000": "内蒙古自治区",
    "210000": "辽宁省",
    "220000": "吉林省",
    "230000": "黑龙江省",
    "310000": "上海市",
    "320000": "江苏省",
    "330000": "浙江省",
    "340000": "安徽省",
    "350000": "福建省",
    "360000": "江西省",
    "370000": "山东省",
    "410000": "河南省",
    "420000": "湖北省",
    "430000": "湖南省",
    "440000": "广东省",
    "450000": "广西壮族自治区",
    "460000": "海南省",
    "500000": "重庆市",
    "510000": "四川省",
    "520000": "贵州省",
    "530000": "云南省",
    "540000": "西藏自治区",
    "610000": "陕西省",
    "620000": "甘肃省",
    "630000": "青海省",
    "640000": "宁夏回族自治区",
    "650000": "新疆维吾尔自治区",
    "710000": "台湾省",
    "810000": "香港特别行政区",
    "820000": "澳门特别行政区",
}


def place(region_code: object) -> tuple[str | None, str | None, str | None]:
    """``(region code, province code, city code)`` of a region code as an event carries
    it; ``None`` for what it does not say (a province-level code has no city) and for a
    code that is not a GB/T 2260 code at all (the patent then groups under unknown)."""
    if not isinstance(region_code, str):
        return None, None, None
    code = region_code.strip()
    if len(code) != 6 or not code.isascii() or not code.isdigit() or code[:2] not in PROVINCE_CODES:
        return None, None, None
    city = None if code[2:4] == "00" else code[:4] + "00"
    return code, code[:2] + "0000", city
