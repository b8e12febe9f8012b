"""The demo's stock-patent inventory (存量专利盘点): 清华大学's technology-transfer office
uploads its inventory as it would export it from its own system (a GB18030 CSV with
Chinese headers), through the upload API, with a few rows an office typically gets wrong.

The upload's Idempotency-Key names it, so a restarted local run finds the same job again
instead of uploading twice.
"""

from __future__ import annotations

import asyncio
import csv
import io

import httpx

from shared.domain import application_number_check_digit

KEY = "demo-inventory-2026"
HEADER = [
    "申请号", "专利名称", "摘要", "IPC分类号", "行政区划代码", "申请日", "授权日", "专利权人",
    "财政资助", "转化意愿", "拟转化方式", "发明人", "专利组合", "财政资助项目", "备注",
]  # fmt: skip
# (application number body, title, IPC, filed, granted, state funded, willingness, modes)
INVENTORY = [
    (
        "201910111201", "一种钠离子电池正极材料及其制备方法",
        "H01M 4/36", "2019-04-02", "2021-01-15", "是", "愿意", "转让、许可",
    ),
    (
        "201910111202", "面向电网调峰的液流电池储能系统控制方法",
        "H02J 3/32", "2019-06-18", "2021-05-07", "是", "愿意", "开放许可",
    ),
    (
        "201810111203", "一种用于锂电池回收的湿法冶金工艺",
        "C22B 7/00", "2018-09-30", "2020-12-22", "否", "愿意", "作价入股",
    ),
    (
        "202010111204", "一种协作机器人的力控装配方法",
        "B25J 9/16", "2020-03-11", "2022-07-19", "否", "未定", "合作开发",
    ),
    (
        "201710111205", "一种高熵合金涂层及其激光熔覆方法",
        "C23C 24/10", "2017-11-02", "2019-10-25", "是", "不愿意", "",
    ),
    (
        "202110111206", "基于联邦学习的电力负荷预测方法",
        "G06N 3/08", "2021-02-26", "2023-04-14", "否", "愿意", "许可",
    ),
]  # fmt: skip
ANOTHER_UNIVERSITY = "北京大学（12100000400002259P）"


def _number(body12: str) -> str:
    return f"{body12}.{application_number_check_digit(body12)}"


def _row(number: str, title: str, **cells: str) -> list[str]:
    row = dict.fromkeys(HEADER, "")
    row.update({"申请号": number, "专利名称": title, "行政区划代码": "110108"})
    row.update(cells)
    return [row[h] for h in HEADER]


def inventory_file() -> bytes:
    """The office's export: six good rows, then a wrong check digit, the same patent
    twice, an unknown willingness, and a patent held by another university."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for body12, title, ipc, filed, granted, funded, willing, modes in INVENTORY:
        writer.writerow(
            _row(
                _number(body12),
                title,
                摘要=f"本发明公开了{title[2:]}，适用于产业化应用。",
                IPC分类号=ipc,
                申请日=filed,
                授权日=granted,
                财政资助=funded,
                转化意愿=willing,
                拟转化方式=modes,
                发明人="张伟（zhangwei@tsinghua.edu.cn）；李娜",
                专利组合="新型储能" if "电池" in title or "储能" in title else "",
                财政资助项目="国家重点研发计划" if funded == "是" else "",
                备注="已与两家企业初步接洽",
            )
        )
    facts = {"IPC分类号": "H01M 4/36", "申请日": "2019-04-02", "授权日": "2021-01-15"}
    writer.writerow(_row("201910111207.0", "一种校验位写错的专利", 转化意愿="愿意", **facts))
    writer.writerow(_row(_number(INVENTORY[0][0]), "重复的一行", 转化意愿="愿意", **facts))
    writer.writerow(_row(_number("201910111208"), "转化意愿写成了也许", 转化意愿="也许", **facts))
    writer.writerow(
        _row(
            _number("201910111209"),
            "别人的专利",
            转化意愿="愿意",
            专利权人=ANOTHER_UNIVERSITY,
            **facts,
        )
    )
    return out.getvalue().encode("gb18030")


async def upload_inventory(client: httpx.AsyncClient, listing: str, auth: dict[str, str]) -> str:
    """Upload the inventory (or find the job an earlier run started) and wait for it;
    what to print."""
    response = await client.post(
        f"{listing}/v1/inventory/uploads",
        content=inventory_file(),
        headers={**auth, "Content-Type": "text/csv", "Idempotency-Key": KEY},
    )
    if response.status_code != 202:
        raise RuntimeError(f"demo inventory: upload -> {response.status_code} {response.text}")
    job = response.json()
    for _ in range(300):
        if job["status"] in ("succeeded", "completed_with_errors", "rejected", "failed"):
            break
        await asyncio.sleep(0.2)
        job = (await client.get(f"{listing}{job['links']['self']}", headers=auth)).json()
    return (
        f"demo inventory uploaded ({job['status']}): {job['rows_committed']} of "
        f"{job['rows_total']} rows committed, {job['rows_failed']} refused; the error report "
        f"(with the university's token): {listing}{job['links']['errors_csv']}"
    )
