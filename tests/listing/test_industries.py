"""Industry codes derived from the concordance in force; the operator replaces the table
(LISTING_CONCORDANCE_DIR) and re-derives the catalogue, through listing's API on the real
stack."""

from __future__ import annotations

import json
import shutil
import uuid
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import httpx
import pytest

from listing.config import ListingSettings
from listing.industries.service import concordance_in_force, use_concordance
from listing.main import create_app
from shared.auth import OrgType
from shared.domain.industry import CONCORDANCE_FILE, FILES, ConcordanceDataError
from shared.events import topics
from shared.events.envelope import CloudEvent
from tests.listing.factories import patent_body
from tests.listing.test_search import search, token
from tests.support.stack import Stack, application_number, eventually, org, read_topic, running_app

OPERATOR = org(OrgType.OPERATOR, "平台运营方")
OWNER = org(OrgType.UNIVERSITY, "哈尔滨工业大学")
CHANGED = "cn.ipmarket.listing.patent.industries_changed.v1"
PACKAGED = Path(str(resources.files("shared.domain").joinpath("data/industry")))


@pytest.fixture(autouse=True)
def packaged_concordance_after() -> Iterator[None]:
    """Each app chooses the process's concordance at start-up: put the packaged one back
    for the apps of other tests."""
    yield
    use_concordance(None)


def replacement(directory: Path, version: str, **rows: list[str]) -> Path:
    """The packaged files with the IPC rows ``rows`` (key with '_' for ' ') replaced."""
    for name in FILES:
        shutil.copy(PACKAGED / name, directory / name)
    document: dict[str, Any] = json.loads((PACKAGED / CONCORDANCE_FILE).read_text("utf-8"))
    document["version"] = version
    wanted = {key.replace("_", " "): codes for key, codes in rows.items()}
    for row in document["rows"]:
        if row["ipc"] in wanted:
            row["industries"] = wanted.pop(row["ipc"])
    assert not wanted, f"no packaged rows {wanted}"
    (directory / CONCORDANCE_FILE).write_text(json.dumps(document, ensure_ascii=False), "utf-8")
    return directory


async def rederive(client: httpx.AsyncClient, settings: ListingSettings) -> dict[str, Any]:
    """Request a re-derivation and wait for it to finish; the finished job."""
    headers = OPERATOR.headers(settings)
    accepted = await client.post("/v1/patents/industry-codes/rederive", headers=headers)
    assert accepted.status_code == 202, accepted.text
    url = f"/v1/patents/industry-codes/rederive/{accepted.json()['job_id']}"
    assert accepted.json()["state"] == "queued"
    finished: dict[str, Any] = {}

    async def done() -> bool:
        response = await client.get(url, headers=headers)
        assert response.status_code == 200, response.text
        finished.update(response.json())
        return bool(finished["state"] == "done")

    await eventually(done)
    return finished


async def test_a_replaced_concordance_is_rederived_once_and_search_sees_the_new_codes(
    stack: Stack, tmp_path: Path
) -> None:
    settings = stack.settings(ListingSettings)
    tag = token()
    battery = application_number(2020, 1)
    chip = application_number(2020, 1)
    async with running_app(create_app(settings)) as client:
        for number, ipc in ((battery, "H01M 10/0525"), (chip, "H01L 21/02")):
            body = patent_body(OWNER, application_number=number, ipc_codes=[ipc], title=tag)
            created = await client.post("/v1/patents", json=body, headers=OWNER.headers(settings))
            assert created.status_code == 201, created.text
        assert created.json()["industry_codes"] == ["C3973", "C3562"]
    # The operator replaces the table: lithium-ion cells' main group now leads to C3849.
    version = f"test-{uuid.uuid4().hex[:8]}"
    directory = replacement(tmp_path, version, H01M_10=["C3849", "C3841"])
    replaced = stack.settings(
        ListingSettings, database=settings.database_url.rsplit("/", 1)[1], concordance_dir=directory
    )
    async with running_app(create_app(replaced)) as client:
        headers = OWNER.headers(replaced)
        assert await search(client, headers, q=tag, industry="C3849") == []
        job = await rederive(client, replaced)
        assert (job["examined"], job["changed"], job["concordance_version"]) == (2, 1, version)
        events = await read_topic(
            replaced.kafka_bootstrap_servers,
            topics.LISTING,
            until=lambda es: bool(changed(es, battery)),
        )
        assert [e.data for e in changed(events, battery)] == [
            {
                "application_number": battery,
                "industry_codes": ["C3849", "C3841"],
                "previous_industry_codes": ["C3841"],
                "concordance_version": version,
            }
        ]
        assert changed(events, chip) == []
        # Search filters and the public read see the new codes.
        assert await search(client, headers, q=tag, industry="C3849") == [battery]
        assert await search(client, headers, q=tag, industry="C384") == [battery]
        read = await client.get(f"/v1/patents/{battery}", headers=headers)
        assert read.json()["industry_codes"] == ["C3849", "C3841"]
        # Registration derives with the replacement too.
        later = application_number(2020, 1)
        body = patent_body(OWNER, application_number=later, ipc_codes=["H01M 10/44"], title=tag)
        created = await client.post("/v1/patents", json=body, headers=headers)
        assert created.json()["industry_codes"] == ["C3849", "C3841"]
        # A second run changes nothing and publishes nothing.
        again = await rederive(client, replaced)
        assert (again["examined"], again["changed"]) == (3, 0)
        events = await read_topic(
            replaced.kafka_bootstrap_servers, topics.LISTING, until=lambda es: len(es) > 0
        )
        assert len(changed(events, battery)) == 1


def changed(events: list[CloudEvent], number: str) -> list[CloudEvent]:
    return [e for e in events if e.type == CHANGED and e.data["application_number"] == number]


async def test_only_the_operator_rederives_and_an_unknown_job_is_not_found(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    url = "/v1/patents/industry-codes/rederive"
    refused = await listing_client.post(url, headers=OWNER.headers(listing_settings))
    assert refused.status_code == 403
    missing = await listing_client.get(
        f"{url}/{uuid.uuid4()}", headers=OPERATOR.headers(listing_settings)
    )
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    malformed = await listing_client.get(f"{url}/x", headers=OPERATOR.headers(listing_settings))
    assert malformed.status_code == 422


def test_a_bad_replacement_stops_the_process_at_start_up(stack: Stack, tmp_path: Path) -> None:
    directory = replacement(tmp_path, "bad", H01M_10=["C3848"])
    settings = stack.settings(ListingSettings, concordance_dir=directory)
    with pytest.raises(ConcordanceDataError, match=r"industry code 'C3848' is not in"):
        create_app(settings)
    assert concordance_in_force().version != "bad"
