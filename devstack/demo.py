"""A small demo data set for the local run, loaded through the public APIs.

A university (清华大学) registers three patents and declares open licences on two; an
enterprise takes one licence and pays; the university pledges the third patent to a bank
and the bank records the registration. Every step travels through Kafka like real traffic.

Data survives a restart of the local run, so the set is loaded once: when the catalogue
already holds its first patent, nothing is loaded again.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date
from typing import Any

import httpx

from devstack.demo_inventory import upload_inventory
from devstack.demo_matching import match_demo
from shared.auth import OrgType, issue_token
from shared.domain import application_number_check_digit, uscc_check_character
from shared.settings import ServiceSettings


def _application_number(body12: str) -> str:
    return f"{body12}.{application_number_check_digit(body12)}"


def _uscc(first17: str) -> str:
    return first17 + uscc_check_character(first17)


@dataclass(frozen=True)
class DemoOrg:
    org_id: str
    name: str
    org_type: OrgType
    uscc: str | None


UNIVERSITY = DemoOrg("org-tsinghua", "清华大学", OrgType.UNIVERSITY, _uscc("12100000400000624"))
ENTERPRISE = DemoOrg(
    "org-xinneng", "深圳市新能储能科技有限公司", OrgType.ENTERPRISE, _uscc("91440300MA5F00001")
)
BANK = DemoOrg("bank-icbc-sz", "中国工商银行深圳分行", OrgType.BANK, _uscc("91440300892234001"))
OPERATOR = DemoOrg("org-operator", "平台运营方", OrgType.OPERATOR, None)
EXCHANGE = DemoOrg("org-sztex", "深圳技术交易所", OrgType.EXCHANGE, None)
EXCHANGE_ROLE = "exchange (深圳技术交易所)"
REGULATOR = DemoOrg("org-gdipa", "广东省知识产权局", OrgType.REGULATOR, None)

PATENTS = [
    ("201710601862", "一种锂离子电池健康状态在线检测方法", ["H01M 10/48", "G01R 31/392"]),
    ("201810234561", "基于深度学习的电池簇热失控预警系统", ["H01M 10/42", "G06N 3/08"]),
    ("202010345672", "一种固态电解质薄膜的低温制备方法", ["H01M 10/0562"]),
]


def tokens() -> dict[str, str]:
    """A token per role, each with its organisation type's default scopes (the operator's
    include ipmarket:operate)."""
    settings = ServiceSettings()
    result = {}
    for role, org in (
        ("university (清华大学)", UNIVERSITY),
        ("enterprise (新能储能)", ENTERPRISE),
        ("bank (工商银行深圳分行)", BANK),
        ("operator", OPERATOR),
        (EXCHANGE_ROLE, EXCHANGE),
        ("regulator (广东省知识产权局)", REGULATOR),
    ):
        result[role] = issue_token(
            settings,
            org_id=org.org_id,
            org_name=org.name,
            org_type=org.org_type,
            uscc=org.uscc,
        )
    return result


async def load_demo_data(urls: dict[str, str], *, with_data: bool = True) -> dict[str, str]:
    issued = tokens()
    if not with_data:
        return issued
    auth = {role.split()[0]: {"Authorization": f"Bearer {t}"} for role, t in issued.items()}
    async with httpx.AsyncClient(timeout=30) as client:
        present = await _already_loaded(client, urls, auth)
        if present is not None:
            print(present, flush=True)
        else:
            await _load_set(client, urls, auth)
        # The inventory upload names itself (Idempotency-Key): a restarted run finds the
        # job it started and prints where its error report is.
        print(await upload_inventory(client, urls["listing"], auth["university"]), flush=True)
        assert ENTERPRISE.uscc is not None
        for line in await match_demo(
            client,
            urls["matching"],
            auth["operator"],
            auth["enterprise"],
            (ENTERPRISE.uscc, ENTERPRISE.name),
        ):
            print(line, flush=True)
    return issued


async def _load_set(
    client: httpx.AsyncClient, urls: dict[str, str], auth: dict[str, dict[str, str]]
) -> None:
    numbers = []
    for body12, title, ipc in PATENTS:
        number = _application_number(body12)
        numbers.append(number)
        await _post(
            client,
            f"{urls['listing']}/v1/patents",
            auth["university"],
            {
                "application_number": number,
                "title": title,
                "ipc_codes": ipc,
                "region_code": "110108",
                "filing_date": f"{body12[:4]}-06-15",
                "grant_date": f"{int(body12[:4]) + 2}-09-01",
                "patentees": [
                    {
                        "name": UNIVERSITY.name,
                        "uscc": UNIVERSITY.uscc,
                        "share": "100",
                        "party_type": "university",
                    }
                ],
            },
        )
    declarations = []
    for number, rate in ((numbers[0], "3.5"), (numbers[1], "5")):
        draft = await _post(
            client,
            f"{urls['listing']}/v1/declarations",
            auth["university"],
            {
                "application_number": number,
                "terms": {
                    "payment_mode": "running_royalty",
                    "royalty_base": "net_sales",
                    "royalty_rate": rate,
                    "term_start": str(date.today()),
                    "term_end": f"{date.today().year + 4}-12-31",
                    "payment_schedule": "每年3月31日前按上一年度净销售额支付",
                    "royalty_schedule": {"period": "annual", "annual_due": "03-31"},
                },
                "description": "可用于储能电站电池簇在线监测，许可后提供技术资料一套。",
                "contact": "清华大学技术转移研究院 010-62780000",
            },
        )
        submitted = await _post(
            client,
            f"{urls['listing']}/v1/declarations/{draft['id']}/submit",
            auth["university"],
            None,
        )
        declarations.append(submitted["id"])
    licence = await _retry_until_known(
        client,
        f"{urls['license']}/v1/licenses",
        auth["enterprise"],
        {"declaration_id": declarations[0], "field_of_use": "储能电站电池管理系统"},
    )
    await _post(
        client,
        f"{urls['license']}/v1/licenses/{licence['id']}/payments",
        auth["enterprise"],
        {
            "amount": {"amount": "50000.00", "currency": "CNY"},
            "voucher_reference": "ICBC-20261123-0001",
            "paid_on": str(date.today()),
        },
    )
    pledge = await _retry_until_known(
        client,
        f"{urls['pledge']}/v1/pledges",
        auth["university"],
        {
            "application_numbers": [numbers[2]],
            "pledgee": {
                "org_id": BANK.org_id,
                "name": BANK.name,
                "uscc": BANK.uscc,
            },
            "secured_amount": {"amount": "3000000.00", "currency": "CNY"},
            "debt_term_end": f"{date.today().year + 3}-06-30",
            "has_forfeiture_clause": False,
        },
    )
    await _post(
        client,
        f"{urls['pledge']}/v1/pledges/{pledge['id']}/approval",
        auth["bank"],
        {"approved_on": str(date.today())},
    )
    await _post(
        client,
        f"{urls['pledge']}/v1/pledges/{pledge['id']}/registration",
        auth["bank"],
        {
            "registration_number": f"Y{date.today().year}980000123",
            "registered_on": str(date.today()),
        },
    )
    print(
        f"demo data loaded: {len(numbers)} patents, {len(declarations)} open licences, "
        "1 licence taken, 1 pledge registered",
        flush=True,
    )


async def _already_loaded(
    client: httpx.AsyncClient, urls: dict[str, str], auth: dict[str, dict[str, str]]
) -> str | None:
    """What to say instead of loading, if an earlier run loaded the set (or began to)."""
    first = _application_number(PATENTS[0][0])
    response = await client.get(f"{urls['listing']}/v1/patents/{first}", headers=auth["university"])
    if response.status_code == 404:
        return None
    if response.status_code >= 400:
        raise RuntimeError(f"demo data: GET patent -> {response.status_code} {response.text}")
    pledges = await client.get(f"{urls['pledge']}/v1/pledges", headers=auth["bank"])
    if pledges.status_code >= 400:
        raise RuntimeError(f"demo data: GET pledges -> {pledges.status_code} {pledges.text}")
    if any(p["status"] == "registered" for p in pledges.json()["items"]):
        return "demo data already loaded (kept from an earlier run; --fresh starts from empty)"
    return (
        "demo data partly loaded: an earlier run stopped while loading it "
        "(--fresh starts from empty and loads it again)"
    )


async def _post(
    client: httpx.AsyncClient, url: str, headers: dict[str, str], body: Any
) -> dict[str, Any]:
    response = await client.post(url, json=body, headers=headers)
    if response.status_code >= 400:
        raise RuntimeError(f"demo data: POST {url} -> {response.status_code} {response.text}")
    result: dict[str, Any] = response.json()
    return result


async def _retry_until_known(
    client: httpx.AsyncClient, url: str, headers: dict[str, str], body: Any
) -> dict[str, Any]:
    """The receiving service learns of the patent or declaration through Kafka: wait for it."""
    for _ in range(150):
        response = await client.post(url, json=body, headers=headers)
        if response.status_code < 400:
            result: dict[str, Any] = response.json()
            return result
        not_yet_known = response.status_code == 404 or (
            response.status_code == 422 and response.json().get("type", "").endswith("-unknown")
        )
        if not not_yet_known:
            raise RuntimeError(f"demo data: POST {url} -> {response.status_code} {response.text}")
        await asyncio.sleep(0.2)
    raise RuntimeError(f"demo data: {url} never learned of {body}")
