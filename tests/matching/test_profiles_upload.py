"""The operator's profile import through the HTTP API on the real stack: a GB18030 CSV
with Chinese headers, good and bad rows and the error report; consent never given by an
import and kept across imports; a profile the enterprise keeps is never overwritten;
idempotent re-upload; JSON Lines; who may upload and read."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from typing import Any

import asyncpg
import httpx

from matching.config import MatchingSettings
from matching.domain.profile import EnterpriseProfile, ProfileFacts
from matching.profiles.repository import ImportedProfiles
from shared.auth import OrgType
from shared.db.engine import asyncpg_dsn
from tests.matching.asked import asked_to_match
from tests.matching.test_profiles import PROFILES, enterprise, profile_body, unique_region
from tests.support.stack import OPERATOR_SCOPES, eventually, org, uscc

UPLOADS = f"{PROFILES}/uploads"
NOW = datetime(2026, 12, 6, 8, 0, tzinfo=UTC)
FINAL = {"succeeded", "completed_with_errors", "rejected", "failed"}
HEADER = [
    "统一社会信用代码", "企业名称", "行政区划代码", "行业代码", "战略性新兴产业代码",
    "企业规模", "企业资质", "主营产品", "技术需求", "同意推送",
]  # fmt: skip


def row(code: str, name: str, region: str, **cells: str) -> list[str]:
    values = {
        "统一社会信用代码": code,
        "企业名称": name,
        "行政区划代码": region,
        "行业代码": "C3841；C3842",
        "战略性新兴产业代码": "6.3.1、6.3",
        "企业规模": "小型",
        "企业资质": "专精特新、高新技术企业",
        "主营产品": "锂离子电池正极材料，磷酸铁锂",
        "技术需求": "高镍三元材料的循环寿命",
        "同意推送": "",
        **cells,
    }
    return [values[h] for h in HEADER]


def csv_bytes(rows: list[list[str]], encoding: str = "gb18030") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # as Excel writes it
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def operator_headers(settings: MatchingSettings) -> dict[str, str]:
    return org(OrgType.OPERATOR, "平台运营方").headers(settings, scopes=OPERATOR_SCOPES)


async def upload(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    body: bytes,
    *,
    key: str | None = None,
    content_type: str = "text/csv",
) -> httpx.Response:
    extra = {"Content-Type": content_type, **({"Idempotency-Key": key} if key else {})}
    return await client.post(UPLOADS, content=body, headers={**headers, **extra})


async def finished(client: httpx.AsyncClient, headers: dict[str, str], job_id: str) -> Any:
    async def done() -> Any:
        job = (await client.get(f"{UPLOADS}/{job_id}", headers=headers)).json()
        return job if job["status"] in FINAL else None

    return await eventually(done)


async def profile(
    client: httpx.AsyncClient, settings: MatchingSettings, code: str
) -> dict[str, Any]:
    read = await client.get(f"{PROFILES}/{code}", headers=operator_headers(settings))
    assert read.status_code == 200, read.text
    result: dict[str, Any] = read.json()
    return result


async def test_a_gb18030_import_with_bad_rows_and_its_error_report(
    matching_client: httpx.AsyncClient, matching_settings: MatchingSettings
) -> None:
    headers = operator_headers(matching_settings)
    region = unique_region()
    kept = enterprise("自己维护画像的企业")
    put = await matching_client.put(
        f"{PROFILES}/me", json=profile_body(kept), headers=kept.headers(matching_settings)
    )
    assert put.status_code == 201, put.text
    good, jsonish, consenting, twice = (uscc("91440300") for _ in range(4))
    rows = [
        row(good, "广州市智能农机装备有限公司", region, 行业代码="C3572", 企业规模="中型"),
        row(jsonish, "成都医疗器械科技有限公司", region, 行业代码="C3581", 企业资质=""),
        row("91350100M000100Y44", "校验位错误的企业", region),  # row 3
        row(uscc("91440300"), "行业大类", region, 行业代码="C38"),  # row 4
        row(uscc("91440300"), "未知行业", region, 行业代码="Z9999"),  # row 5
        row(uscc("91440300"), "战新代码错误", region, 战略性新兴产业代码="10"),  # row 6
        row(consenting, "替企业同意推送", region, 同意推送="是"),  # row 7
        row(str(kept.uscc), "运营方的版本", region),  # row 8
        row(twice, "第一次", region),
        row(twice, "第二次", region),  # row 10: the same USCC again
        row(uscc("91440300"), "未知地区", "990000"),  # row 11
    ]
    accepted = await upload(matching_client, headers, csv_bytes(rows), key=f"profiles-{region}")
    assert accepted.status_code == 202, accepted.text
    assert accepted.headers["location"] == f"{UPLOADS}/{accepted.json()['id']}"
    job = await finished(matching_client, headers, accepted.json()["id"])
    assert job["status"] == "completed_with_errors", job
    assert job["encoding"] == "gb18030"
    assert (job["rows_total"], job["rows_committed"], job["rows_failed"]) == (11, 3, 8)

    errors = (await matching_client.get(job["links"]["errors_json"], headers=headers)).json()
    by_row = {e["row"]: e for e in errors}
    assert sorted(by_row) == [3, 4, 5, 6, 7, 8, 10, 11]
    expected = {
        3: ("uscc", "profile-uscc-invalid"),
        4: ("industry_codes", "profile-industry-not-a-class"),
        5: ("industry_codes", "industry-code-invalid"),
        6: ("strategic_codes", "profile-strategic-code-invalid"),
        7: ("push_consent", "consent-by-enterprise-only"),
        8: ("uscc", "profile-maintained-by-enterprise"),
        11: ("region_code", "profile-region-invalid"),
    }
    for number, (field, slug) in expected.items():
        assert by_row[number]["field"] == field, by_row[number]
        assert by_row[number]["reason"].endswith(f"(rule: {slug})"), by_row[number]
        assert by_row[number]["line"] == number + 1
    assert "first at row 9" in by_row[10]["reason"]

    report = await matching_client.get(job["links"]["errors_csv"], headers=headers)
    assert report.content.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(report.content.decode("utf-8-sig"))))
    assert lines[0] == ["row", "line", "field", "reason"]
    assert len(lines) == 9

    imported = await profile(matching_client, matching_settings, good)
    assert imported["source"] == "imported"
    assert imported["push_consent"] is False
    assert imported["industry_codes"] == ["C3572"]
    assert imported["strategic_codes"] == ["6.3.1", "6.3"]
    assert imported["size"] == "medium"
    assert imported["qualifications"] == ["specialized_sme", "high_tech"]
    assert imported["products"] == "锂离子电池正极材料，磷酸铁锂"
    assert (await profile(matching_client, matching_settings, jsonish))["qualifications"] == []
    self_kept = await profile(matching_client, matching_settings, str(kept.uscc))
    assert self_kept["source"] == "self"
    assert self_kept["name"] == kept.name
    gone = await matching_client.get(f"{PROFILES}/{consenting}", headers=headers)
    assert gone.status_code == 404
    assert await asked_to_match(matching_settings, [good, jsonish, twice, consenting]) == sorted(
        [good, jsonish, twice]
    )

    replayed = await upload(matching_client, headers, csv_bytes(rows), key=f"profiles-{region}")
    assert replayed.status_code == 202
    assert replayed.headers["idempotent-replayed"] == "true"
    assert replayed.json()["id"] == job["id"]


async def test_consent_is_kept_across_imports_and_only_the_enterprise_gives_it(
    matching_client: httpx.AsyncClient, matching_settings: MatchingSettings
) -> None:
    headers = operator_headers(matching_settings)
    region = unique_region()
    firm = enterprise("被导入的企业")
    code = str(firm.uscc)
    first = await upload(matching_client, headers, csv_bytes([row(code, firm.name, region)]))
    assert (await finished(matching_client, headers, first.json()["id"]))["status"] == "succeeded"
    assert (await profile(matching_client, matching_settings, code))["push_consent"] is False

    consent = await matching_client.put(
        f"{PROFILES}/me/consent",
        json={"push_consent": True, "industries_opted_out": ["C3842"]},
        headers=firm.headers(matching_settings),
    )
    assert consent.status_code == 200, consent.text
    assert consent.json()["source"] == "imported"

    # The same file again (a new upload): nothing matching reads changed.
    again = await upload(matching_client, headers, csv_bytes([row(code, firm.name, region)]))
    assert (await finished(matching_client, headers, again.json()["id"]))["status"] == "succeeded"
    unchanged = await profile(matching_client, matching_settings, code)
    assert unchanged["revision"] == 1
    assert unchanged["push_consent"] is True

    # A later import with new facts: the facts change, the enterprise's choice stays.
    changed = row(code, firm.name, region, 主营产品="钠离子电池")
    later = await upload(matching_client, headers, csv_bytes([changed]), key=f"later-{code}")
    assert (await finished(matching_client, headers, later.json()["id"]))["status"] == "succeeded"
    updated = await profile(matching_client, matching_settings, code)
    assert (updated["products"], updated["revision"]) == ("钠离子电池", 2)
    assert updated["push_consent"] is True
    assert updated["industries_opted_out"] == ["C3842"]

    # The enterprise saves its own profile: imports no longer touch it.
    own = await matching_client.put(
        f"{PROFILES}/me", json=profile_body(firm), headers=firm.headers(matching_settings)
    )
    assert own.status_code == 200, own.text
    assert own.json()["source"] == "self"
    refused = await upload(matching_client, headers, csv_bytes([changed]))
    job = await finished(matching_client, headers, refused.json()["id"])
    assert (job["status"], job["rows_failed"]) == ("completed_with_errors", 1)
    assert (await profile(matching_client, matching_settings, code))["products"] == profile_body(
        firm
    )["products"]


async def test_a_json_lines_import_and_who_may_upload(
    matching_client: httpx.AsyncClient, matching_settings: MatchingSettings
) -> None:
    headers = operator_headers(matching_settings)
    code = uscc("91440300")
    lines = [
        {
            "uscc": code,
            "企业名称": "杭州软件信息技术有限公司",
            "region_code": "330106",
            "industry_codes": ["I6513", "I6511"],
            "size": "micro",
            "qualifications": ["high_tech"],
            "technical_needs": "大模型推理加速",
        },
        {"uscc": uscc("91440300"), "name": "缺行业", "region_code": "330106", "size": "small",
         "products": "软件"},
    ]  # fmt: skip
    body = "\n".join(json.dumps(line, ensure_ascii=False) for line in lines).encode()
    accepted = await upload(matching_client, headers, body, content_type="application/x-ndjson")
    assert accepted.status_code == 202, accepted.text
    job = await finished(matching_client, headers, accepted.json()["id"])
    assert (job["rows_committed"], job["rows_failed"]) == (1, 1)
    errors = (await matching_client.get(job["links"]["errors_json"], headers=headers)).json()
    assert [(e["row"], e["field"]) for e in errors] == [(2, "industry_codes")]
    imported = await profile(matching_client, matching_settings, code)
    assert imported["industry_codes"] == ["I6513", "I6511"]
    assert imported["products"] == ""

    firm = enterprise()
    refused = await upload(matching_client, firm.headers(matching_settings), body)
    assert refused.status_code == 403
    read = await matching_client.get(
        f"{UPLOADS}/{job['id']}", headers=firm.headers(matching_settings)
    )
    assert read.status_code == 403
    regulator = org(OrgType.REGULATOR, "市场监管局").headers(matching_settings)
    assert (
        await matching_client.get(f"{UPLOADS}/{job['id']}", headers=regulator)
    ).status_code == 200

    unknown = csv_bytes([]).replace("同意推送".encode("gb18030"), "推送令牌".encode("gb18030"))
    header_refused = await upload(matching_client, headers, unknown)
    assert header_refused.status_code == 422
    assert header_refused.json()["type"].endswith("upload-header-invalid")


async def test_an_import_leaves_alone_a_profile_the_enterprise_created_meanwhile(
    matching_client: httpx.AsyncClient, matching_settings: MatchingSettings
) -> None:
    """The race the batch's lock cannot cover: the row was not there to lock when the
    batch looked, and the enterprise created its own before the batch wrote."""
    firm = enterprise("抢先建档的企业")
    code = str(firm.uscc)
    late = EnterpriseProfile.imported(
        code, ProfileFacts.checked(**_facts(profile_body(firm, products="运营方的版本"))), NOW
    )
    put = await matching_client.put(
        f"{PROFILES}/me", json=profile_body(firm), headers=firm.headers(matching_settings)
    )
    assert put.status_code == 201, put.text
    before = await asked_to_match(matching_settings, [code])
    conn = await asyncpg.connect(asyncpg_dsn(matching_settings.database_url))
    try:
        async with conn.transaction():
            stranger = EnterpriseProfile.imported(uscc("91440300"), late.facts, NOW)
            kept = await ImportedProfiles(conn).save([late, stranger], NOW)
    finally:
        await conn.close()
    assert kept == {code}
    assert before == [code]
    own = await profile(matching_client, matching_settings, code)
    assert (own["source"], own["products"]) == ("self", profile_body(firm)["products"])
    assert await asked_to_match(matching_settings, [stranger.uscc]) == [stranger.uscc]


def _facts(body: dict[str, Any]) -> dict[str, Any]:
    names = ("name", "region_code", "industry_codes", "strategic_codes", "size")
    extra = ("qualifications", "products", "technical_needs")
    return {k: body[k] for k in (*names, *extra)}
