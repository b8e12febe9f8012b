"""Inputs at the edge of the license API that must be refused by name, never be a 500."""

from __future__ import annotations

import httpx

from license.config import LicenseSettings
from shared.auth import OrgType
from tests.support.cursors import assert_crafted_cursors_refused
from tests.support.stack import OPERATOR_SCOPES, org


async def test_a_crafted_cursor_is_refused_on_every_list(
    license_client: httpx.AsyncClient, license_settings: LicenseSettings
) -> None:
    headers = org(OrgType.OPERATOR, "平台运营方").headers(license_settings, OPERATOR_SCOPES)
    for url in ["/v1/licenses", "/v1/breaches"]:
        await assert_crafted_cursors_refused(license_client, url, headers)
