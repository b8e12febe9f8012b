"""The office staff's command-line client (``ipmarket-upload``) against the listing
service running as a real process: a GB18030 inventory goes up, the job is followed to
its end, the error report lands beside the file; run again, it follows the same job."""

from __future__ import annotations

import asyncio
import csv
import io
import sys
from pathlib import Path

import pytest

from shared.auth import OrgType
from shared.settings import ServiceSettings
from tests.e2e.conftest import System
from tests.support.stack import application_number, org

pytestmark = pytest.mark.e2e

SETTINGS = ServiceSettings()  # the services' default development signing key


async def run_client(*args: str) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "shared.uploads.client",
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(process.communicate(), timeout=120)
    assert process.returncode is not None
    return process.returncode, output.decode()


async def test_an_office_uploads_its_inventory_with_the_client(
    system: System, tmp_path: Path
) -> None:
    office = org(OrgType.UNIVERSITY, "哈尔滨工业大学")
    token = office.headers(SETTINGS)["Authorization"].removeprefix("Bearer ")
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(
        ["申请号", "专利名称", "申请日", "授权日", "IPC分类号", "转化意愿", "拟转化方式"]
    )
    for title in ("一种焊接机器人的轨迹规划方法", "一种航天器热控涂层的制备方法"):
        number = application_number(2018, 1)
        writer.writerow([number, title, "2018-05-04", "2020-08-11", "B25J 9/16", "愿意", "转让"])
    writer.writerow(["201810000001.0", "校验位错误", "2018-05-04", "", "", "愿意", ""])
    inventory = tmp_path / "盘点清单.csv"
    inventory.write_bytes(text.getvalue().encode("gb18030"))
    url = f"{system.url('listing')}/v1/inventory/uploads"

    status, output = await run_client(str(inventory), "--url", url, "--token", token)
    assert status == 1, output  # some rows refused
    assert "completed_with_errors" in output
    assert "committed 2, refused 1" in output
    report = tmp_path / "盘点清单.csv.errors.csv"
    rows = list(csv.reader(io.StringIO(report.read_bytes().decode("utf-8-sig"))))
    assert [r[0] for r in rows] == ["row", "3"]
    assert "check digit" in rows[1][3]

    again, output = await run_client(str(inventory), "--url", url, "--token", token)
    assert again == 1
    assert "uploaded before" in output  # the file's digest named it: the same job
