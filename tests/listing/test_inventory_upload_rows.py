"""How an inventory upload reads a row's cells (no database: ``listing.uploads.rows``)."""

from __future__ import annotations

from typing import Any

import pytest

from listing.domain.inventory import IntendedMode, Willingness
from listing.domain.patent import PartyType
from listing.uploads.rows import Institution, InventoryRow, check_row
from shared.uploads import RawRow, RowError
from tests.support.stack import application_number, uscc

pytestmark = pytest.mark.unit

INSTITUTION = Institution(uscc(), "华中科技大学", PartyType.UNIVERSITY)


def row(**cells: Any) -> RawRow:
    values: dict[str, Any] = {
        "application_number": application_number(2020, 1),
        "willingness": "愿意",
    }
    values.update(cells)
    return RawRow(1, 2, values)


def checked(**cells: Any) -> InventoryRow:
    result = check_row(row(**cells), INSTITUTION)
    assert isinstance(result, InventoryRow), result
    return result


def refused(**cells: Any) -> RowError:
    result = check_row(row(**cells), INSTITUTION)
    assert isinstance(result, RowError), result
    return result


def test_chinese_labels_and_lists() -> None:
    got = checked(intended_modes="转让、作价入股；合作开发", inventors="张伟（13800000000）；李娜")
    assert got.inventory.willingness is Willingness.WILLING
    assert got.inventory.intended_modes == [
        IntendedMode.TRANSFER,
        IntendedMode.EQUITY_INVESTMENT,
        IntendedMode.JOINT_DEVELOPMENT,
    ]
    assert [(i.name, i.contact) for i in got.inventory.inventors] == [
        ("张伟", "13800000000"),
        ("李娜", None),
    ]
    assert got.registration is None  # no catalogue facts: an inventory of a catalogued patent


@pytest.mark.parametrize(
    "written", ["2019-03-15", "2019/3/15", "2019.03.15", "2019年3月15日", "20190315"]
)
def test_dates_as_offices_write_them(written: str) -> None:
    got = checked(title="一种储能装置", filing_date=written, grant_date="2021-06-01")
    assert got.registration is not None
    assert got.registration.filing_date.isoformat() == "2019-03-15"


def test_a_new_patent_without_patentees_is_the_institutions_alone() -> None:
    got = checked(title="一种储能装置", filing_date="2019-03-15")
    assert got.registration is not None
    [only] = got.registration.patentees
    assert (only.uscc, only.name, only.party_type) == (
        INSTITUTION.uscc,
        INSTITUTION.name,
        PartyType.UNIVERSITY,
    )


def test_co_owned_patentees_need_their_shares() -> None:
    partner = uscc("91440300")
    got = checked(
        title="一种储能装置",
        filing_date="2019-03-15",
        patentees=f"华中科技大学（{INSTITUTION.uscc}，70）；某储能公司（{partner}，30）",
    )
    assert got.registration is not None
    assert [p.party_type for p in got.registration.patentees] == [
        PartyType.UNIVERSITY,
        PartyType.ENTERPRISE,  # a USCC the market regulator issued
    ]
    missing = refused(
        title="一种储能装置",
        filing_date="2019-03-15",
        patentees=f"华中科技大学（{INSTITUTION.uscc}）；某储能公司（{partner}）",
    )
    assert missing.field == "patentees"
    assert "share" in missing.reason


@pytest.mark.parametrize(
    ("cells", "field"),
    [
        ({"willingness": "也许"}, "willingness"),
        ({"application_number": "202010000001.0"}, "application_number"),
        ({"title": "一种储能装置", "filing_date": "2019-02-30"}, "filing_date"),
        (
            {"title": "一种储能装置", "filing_date": "2019-03-15", "ipc_codes": "H01M10"},
            "ipc_codes",
        ),
        ({"notes": "含有\x00字符"}, "notes"),
        (
            {"title": "一种储能装置", "filing_date": "2019-03-15", "state_funded": "也许"},
            "state_funded",
        ),
    ],
)
def test_what_is_wrong_is_named(cells: dict[str, Any], field: str) -> None:
    assert refused(**cells).field == field
