"""Inputs at the edge of the pledge API that must be refused by name, never be a 500."""

from __future__ import annotations

import httpx

from pledge.config import PledgeSettings
from shared.auth import OrgType
from tests.support.cursors import assert_crafted_cursors_refused
from tests.support.stack import OPERATOR_SCOPES, org


async def test_a_crafted_cursor_is_refused_on_every_list(
    pledge_client: httpx.AsyncClient, pledge_settings: PledgeSettings
) -> None:
    headers = org(OrgType.OPERATOR, "平台运营方").headers(pledge_settings, OPERATOR_SCOPES)
    await assert_crafted_cursors_refused(pledge_client, "/v1/pledges", headers)
