"""Inventory uploads through the HTTP API on the real stack: a tech-transfer office's
GB18030 CSV with Chinese headers, partial failure and its error report, idempotent
re-upload, atomic rejection, ownership, the operator uploading for an institution, and no
personal data in the events."""

from __future__ import annotations

import csv
import io
import json
import uuid
from typing import Any

import httpx

from listing.config import ListingSettings
from shared.auth import OrgType
from shared.events import topics
from tests.listing.factories import patent_body
from tests.support.stack import (
    OPERATOR_SCOPES,
    Org,
    application_number,
    eventually,
    org,
    read_topic,
    uscc,
)

UPLOADS = "/v1/inventory/uploads"
FINAL = {"succeeded", "completed_with_errors", "rejected", "failed"}
HEADER = [
    "申请号", "专利名称", "摘要", "IPC分类号", "行政区划代码", "申请日", "授权日",
    "专利权人", "转化意愿", "拟转化方式", "发明人", "专利组合", "财政资助项目", "备注",
]  # fmt: skip


def csv_bytes(rows: list[list[str]], encoding: str = "gb18030") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # as Excel writes it
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def new_row(number: str, title: str, **cells: str) -> list[str]:
    row = {
        "申请号": number,
        "专利名称": title,
        "摘要": "本发明公开了一种用于储能电站的检测方法。",
        "IPC分类号": "H01M 10/48；G01R 31/392",
        "行政区划代码": "440305",
        "申请日": "2019/3/15",
        "授权日": "2021-06-01",
        "专利权人": "",
        "转化意愿": "愿意",
        "拟转化方式": "转让、许可",
        "发明人": "张伟（zhangwei@example.edu.cn）；李娜",
        "专利组合": "储能电池组合",
        "财政资助项目": "",
        "备注": "可与电池企业合作中试",
        **cells,
    }
    return [row[h] for h in HEADER]


async def upload(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    body: bytes,
    *,
    key: str | None = None,
    content_type: str = "text/csv",
    **params: str,
) -> httpx.Response:
    extra = {"Content-Type": content_type, **({"Idempotency-Key": key} if key else {})}
    return await client.post(UPLOADS, content=body, params=params, headers={**headers, **extra})


async def finished(client: httpx.AsyncClient, headers: dict[str, str], job_id: str) -> Any:
    async def done() -> Any:
        job = (await client.get(f"{UPLOADS}/{job_id}", headers=headers)).json()
        return job if job["status"] in FINAL else None

    return await eventually(done)


async def register(
    client: httpx.AsyncClient, settings: ListingSettings, owner: Org, **kw: Any
) -> str:
    body = patent_body(owner, application_number=application_number(2021, 1), **kw)
    response = await client.post("/v1/patents", json=body, headers=owner.headers(settings))
    assert response.status_code == 201, response.text
    return str(response.json()["application_number"])


async def test_a_gb18030_inventory_with_bad_rows(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    office = org(OrgType.UNIVERSITY, "华南理工大学")
    other = org(OrgType.UNIVERSITY, "中山大学")
    headers = office.headers(listing_settings)
    catalogued = await register(listing_client, listing_settings, office)
    theirs = await register(listing_client, listing_settings, other)
    solo, co_owned, twice = (application_number(2020, 1) for _ in range(3))
    rows = [
        new_row(
            solo, "一种固态电解质薄膜的低温制备方法", 财政资助项目="国家重点研发计划2020YFB0000001"
        ),
        new_row(
            co_owned,
            "基于深度学习的电池簇热失控预警系统",
            专利权人=f"{office.name}（{office.uscc}，60）；{other.name}（{other.uscc}，40）",
        ),
        # A catalogued patent: its inventory only (the catalogue facts are left alone).
        [catalogued, "", "", "", "", "", "", "", "不愿意", "", "王强", "", "", ""],
        new_row("202010000001.0", "校验位错误"),  # row 4: wrong check digit
        new_row(application_number(2020, 1), "分类号错误", IPC分类号="H01M10"),  # row 5
        [theirs, "", "", "", "", "", "", "", "愿意", "转让", "", "", "", ""],  # row 6
        new_row(twice, "重复的专利"),  # row 7
        new_row(twice, "重复的专利"),  # row 8: the same patent twice
        [application_number(2020, 1), "", "", "", "", "", "", "", "愿意", "", "", "", "", ""],
        new_row(application_number(2020, 1), "意愿不明", 转化意愿="也许"),  # row 10
    ]
    body = csv_bytes(rows)
    # Row 11: bytes that are not GB18030.
    body += b"\x81\x20bad-bytes,x,x,x,x,x,x,x,x,x,x,x,x,x\r\n"

    response = await upload(listing_client, headers, body)
    assert response.status_code == 202, response.text
    assert response.headers["location"] == f"{UPLOADS}/{response.json()['id']}"
    job = await finished(listing_client, headers, response.json()["id"])
    assert job["encoding"] == "gb18030"
    assert (job["status"], job["rows_total"], job["rows_committed"]) == (
        "completed_with_errors",
        11,
        4,
    )
    assert job["rows_failed"] == 7

    report = await listing_client.get(job["links"]["errors_json"], headers=headers)
    errors = {e["row"]: e for e in report.json()}
    assert sorted(errors) == [4, 5, 6, 8, 9, 10, 11]
    assert errors[4]["field"] == "application_number"
    assert "check digit" in errors[4]["reason"]
    assert errors[5]["field"] == "ipc_codes"
    assert errors[6]["field"] == "application_number"
    assert other.name in errors[6]["reason"]
    assert "first at row 7" in errors[8]["reason"]
    assert errors[9]["field"] == "title"
    assert "not in the catalogue" in errors[9]["reason"]
    assert errors[10]["field"] == "willingness"
    assert "GB18030" in errors[11]["reason"]
    as_csv = await listing_client.get(job["links"]["errors_csv"], headers=headers)
    assert as_csv.content.startswith(b"\xef\xbb\xbf")  # Excel opens it as UTF-8
    lines = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    assert lines[0][:4] == ["row", "line", "field", "reason"]
    assert len(lines) == 8

    patent = (await listing_client.get(f"/v1/patents/{co_owned}", headers=headers)).json()
    assert [p["share"] for p in patent["patentees"]] == ["60", "40"]
    assert (patent["willingness"], patent["intended_modes"]) == ("willing", ["transfer", "license"])
    assert patent["filing_date"] == "2019-03-15"
    record = (await listing_client.get(f"/v1/patents/{solo}/inventory", headers=headers)).json()
    assert record["inventors"] == [
        {"name": "张伟", "contact": "zhangwei@example.edu.cn"},
        {"name": "李娜", "contact": None},
    ]
    assert record["state_funding_project"] == "国家重点研发计划2020YFB0000001"
    kept = (await listing_client.get(f"/v1/patents/{catalogued}", headers=headers)).json()
    assert kept["title"] == "一种锂离子电池健康状态在线检测方法"  # untouched
    assert kept["willingness"] == "not_willing"
    found = await listing_client.get(
        "/v1/search/patents",
        params={"willingness": "not_willing", "q": "锂离子电池", "sort": "newest"},
        headers=headers,
    )
    assert catalogued in [hit["application_number"] for hit in found.json()["items"]]

    # Public events: the registrations and inventories, never the inventors or notes.
    events = await read_topic(
        listing_settings.kafka_bootstrap_servers,
        topics.LISTING,
        until=lambda evs: (
            {solo, co_owned, catalogued}
            <= {e.subject for e in evs if e.type.endswith("inventory.recorded.v1")}
        ),
    )
    mine = [e for e in events if e.subject in {solo, co_owned, catalogued, twice}]
    assert {e.type for e in mine} == {
        "cn.ipmarket.listing.patent.registered.v1",
        "cn.ipmarket.listing.inventory.recorded.v1",
    }
    published = json.dumps([e.data for e in mine], ensure_ascii=False)
    for private in ("张伟", "zhangwei@example.edu.cn", "王强", "可与电池企业合作中试"):
        assert private not in published


async def test_the_same_key_names_the_same_upload(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    office = org(OrgType.RESEARCH_INSTITUTE, "中国科学院深圳先进技术研究院")
    headers = office.headers(listing_settings)
    body = csv_bytes([new_row(application_number(2020, 1), "一种机械臂的控制方法")], "utf-8-sig")
    first = await upload(listing_client, headers, body, key="inventory-2026-batch-1")
    again = await upload(listing_client, headers, body, key="inventory-2026-batch-1")
    assert (first.status_code, again.status_code) == (202, 202)
    assert again.json()["id"] == first.json()["id"]
    assert again.headers["idempotent-replayed"] == "true"
    other_file = csv_bytes([new_row(application_number(2020, 1), "另一个文件")], "utf-8-sig")
    refused = await upload(listing_client, headers, other_file, key="inventory-2026-batch-1")
    assert refused.status_code == 409
    assert refused.headers["content-type"] == "application/problem+json"
    job = await finished(listing_client, headers, first.json()["id"])
    assert (job["status"], job["encoding"], job["rows_committed"]) == ("succeeded", "utf-8-sig", 1)


async def test_an_atomic_upload_commits_every_row_or_none(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    office = org(OrgType.UNIVERSITY, "浙江大学")
    headers = office.headers(listing_settings)
    good = application_number(2020, 1)
    body = csv_bytes([new_row(good, "一种光伏组件的清洗装置"), new_row("bad", "坏行")], "utf-8")
    response = await upload(listing_client, headers, body, atomic="true")
    job = await finished(listing_client, headers, response.json()["id"])
    assert (job["status"], job["rows_committed"], job["rows_failed"]) == ("rejected", 0, 1)
    missing = await listing_client.get(f"/v1/patents/{good}", headers=headers)
    assert missing.status_code == 404


async def test_the_operator_uploads_for_an_institution_it_names(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    office = org(OrgType.UNIVERSITY, f"西南石油大学（{uuid.uuid4().hex[:6]}）")
    stranger = org(OrgType.UNIVERSITY, "重庆大学")
    operator = org(OrgType.OPERATOR, "平台运营方").headers(listing_settings, OPERATOR_SCOPES)
    await register(listing_client, listing_settings, office)  # the catalogue knows it now
    number = application_number(2020, 1)
    body = csv_bytes([new_row(number, "一种页岩气压裂液的制备方法")], "utf-8")

    unnamed = await upload(listing_client, operator, body)
    assert unnamed.status_code == 422
    assert "on_behalf_of" in unnamed.json()["detail"]
    unknown = await upload(listing_client, operator, body, on_behalf_of="不存在的大学")
    assert unknown.status_code == 422
    assert unknown.json()["type"].endswith("upload-institution-unknown")
    response = await upload(listing_client, operator, body, on_behalf_of=office.name)
    assert response.status_code == 202, response.text
    # Two institutions of one name: the operator names the one it means by its USCC.
    twin = Org(f"{office.org_id}-twin", office.name, OrgType.UNIVERSITY, uscc())
    await register(listing_client, listing_settings, twin)
    ambiguous = await upload(listing_client, operator, body, on_behalf_of=office.name)
    assert ambiguous.status_code == 422
    assert office.uscc in ambiguous.json()["detail"]
    assert twin.uscc in ambiguous.json()["detail"]
    job_id = response.json()["id"]
    assert response.json()["on_behalf_of"] == office.uscc
    # The institution reads the job made for it; another institution does not.
    job = await finished(listing_client, office.headers(listing_settings), job_id)
    assert job["status"] == "succeeded"
    denied = await listing_client.get(
        f"{UPLOADS}/{job_id}", headers=stranger.headers(listing_settings)
    )
    assert denied.status_code == 403
    record = await listing_client.get(
        f"/v1/patents/{number}/inventory", headers=office.headers(listing_settings)
    )
    assert record.json()["institution_uscc"] == office.uscc
    # An institution does not upload for another.
    refused = await upload(
        listing_client, stranger.headers(listing_settings), body, on_behalf_of=office.uscc
    )
    assert refused.status_code == 403


async def test_json_lines_take_the_apis_bodies(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    office = org(OrgType.UNIVERSITY, "西安交通大学")
    headers = office.headers(listing_settings)
    number = application_number(2020, 1)
    row = {
        **patent_body(office, application_number=number),
        "willingness": "undecided",
        "intended_modes": ["equity_investment"],
        "inventors": [{"name": "赵敏", "contact": "13800000000"}],
        "portfolios": ["高端装备"],
    }
    lines = [
        json.dumps(row, ensure_ascii=False),
        "",
        json.dumps({"application_number": number, "willingness": "willing"}),
    ]
    body = "\n".join(lines).encode()
    response = await upload(listing_client, headers, body, content_type="application/x-ndjson")
    job = await finished(listing_client, headers, response.json()["id"])
    assert (job["status"], job["rows_committed"]) == ("completed_with_errors", 1)
    errors = (await listing_client.get(job["links"]["errors_json"], headers=headers)).json()
    assert [(e["row"], e["field"]) for e in errors] == [(2, "application_number")]
    record = (await listing_client.get(f"/v1/patents/{number}/inventory", headers=headers)).json()
    assert record["intended_modes"] == ["equity_investment"]


async def test_refused_before_a_job_exists(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    office = org(OrgType.UNIVERSITY, "南京大学")
    headers = office.headers(listing_settings)
    no_willingness = "申请号,专利名称\r\n2019100000011.X,名称\r\n".encode("gb18030")
    missing = await upload(listing_client, headers, no_willingness)
    assert missing.status_code == 422
    assert "转化意愿" in missing.json()["detail"] or "willingness" in missing.json()["detail"]
    huge = await listing_client.post(
        UPLOADS,
        content=b"x",
        headers={**headers, "Content-Type": "text/csv", "Content-Length": str(200 * 2**20)},
    )
    assert huge.status_code == 413
    enterprise_json = await upload(listing_client, headers, b"{}", content_type="application/json")
    assert enterprise_json.status_code == 415
    not_a_job = await listing_client.get(f"{UPLOADS}/not-a-uuid", headers=headers)
    assert not_a_job.status_code == 422
