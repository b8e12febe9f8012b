"""An institution reads the figures of the patents it owns also when listing's events name
it by its USCC alone (no org id), as they often do: figures, summary and coverage. Its
events take effect in 2013, a year no other test counts in."""

from __future__ import annotations

from datetime import UTC, date, datetime

import httpx

from ip_statistics.config import StatisticsSettings
from shared.auth import OrgType
from shared.events.schemas import InventoryRecorded, OrgRef, PatenteeRef, PatentOwnerChanged
from tests.statistics.scenario import envelope, pledge, publish, registered
from tests.support.stack import Org, application_number, org

YEAR = {"from": "2013-01", "to": "2013-12"}


def by_uscc(party: Org) -> PatenteeRef:
    """The patentee as listing often states it: a name and a USCC, no org id."""
    assert party.uscc is not None
    # Written as a person may type it: the code is compared without case or spaces.
    return PatenteeRef(name=party.name, uscc=f" {party.uscc.lower()}", party_type="university")


async def read(client: httpx.AsyncClient, settings: StatisticsSettings, who: Org) -> list[int]:
    """The pledges counted, the year's pledges in the summary, the patents covered."""
    headers = who.headers(settings)
    figures = await client.get(
        "/v1/statistics/figures",
        params={"measure": "pledges", "group_by": "province", **YEAR},
        headers=headers,
    )
    summary = await client.get("/v1/statistics/summary", params={"year": 2013}, headers=headers)
    coverage = await client.get("/v1/statistics/inventory-coverage", headers=headers)
    for answer in (figures, summary, coverage):
        assert answer.status_code == 200, answer.text
    [pledges] = [m for m in summary.json()["measures"] if m["measure"] == "pledges"]
    return [
        figures.json()["total"]["count"],
        pledges["count"],
        sum(row["patents"] for row in coverage.json()["rows"]),
    ]


async def test_an_institution_named_by_its_uscc_reads_its_patents(
    statistics_client: httpx.AsyncClient, statistics_settings: StatisticsSettings
) -> None:
    owner = org(OrgType.UNIVERSITY, "庚大学")
    other = org(OrgType.UNIVERSITY, "辛大学")
    bank = org(OrgType.BANK, "壬银行")
    number = application_number(2012)
    patent = registered(number, owner, "440305", "C3841").model_copy(
        update={"patentees": [by_uscc(owner)]}
    )
    await publish(
        statistics_settings,
        envelope(patent, datetime(2013, 1, 10, 4, tzinfo=UTC)),
        envelope(
            pledge("pl-" + number, number, owner, bank, "700000.00", date(2013, 3, 1)),
            datetime(2013, 3, 1, 4, tzinfo=UTC),
        ),
        envelope(
            InventoryRecorded(
                application_number=number,
                institution=OrgRef(name=owner.name, uscc=owner.uscc),
                willingness="willing",
                intended_modes=["license"],
                portfolios=[],
                state_funded=False,
            ),
            datetime(2013, 2, 1, 4, tzinfo=UTC),
        ),
    )
    get = statistics_client, statistics_settings
    assert await read(*get, owner) == [1, 1, 1]
    assert await read(*get, other) == [0, 0, 0]
    # Not by org id: a token without a USCC, for the same org id, reads nothing.
    anonymous = Org(owner.org_id, owner.name, owner.org_type, None)
    assert await read(*get, anonymous) == [0, 0, 0]

    # The patent changes hands, again named by USCC only: now the other one's.
    await publish(
        statistics_settings,
        envelope(
            PatentOwnerChanged(
                application_number=number,
                previous_patentees=[by_uscc(owner)],
                patentees=[by_uscc(other)],
                effective_date=date(2013, 6, 1),
            ),
            datetime(2013, 6, 1, 4, tzinfo=UTC),
        ),
    )
    assert await read(*get, owner) == [0, 0, 0]
    assert await read(*get, other) == [1, 1, 1]
