"""Inputs at the edge of the registry-sync API that must be refused, never be a 500."""

from __future__ import annotations

import httpx

from registry_sync.config import RegistrySyncSettings
from shared.auth import OrgType
from tests.support.cursors import assert_crafted_cursors_refused
from tests.support.stack import OPERATOR_SCOPES, org


async def test_a_crafted_cursor_is_refused_on_every_list(
    registry_client: httpx.AsyncClient, registry_settings: RegistrySyncSettings
) -> None:
    headers = org(OrgType.OPERATOR, "平台运营方").headers(registry_settings, OPERATOR_SCOPES)
    await assert_crafted_cursors_refused(
        registry_client, "/v1/tech-contract-registrations", headers
    )
