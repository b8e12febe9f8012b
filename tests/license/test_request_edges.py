"""Inputs at the edge of the license API that must be refused by name, never be a 500."""

from __future__ import annotations

import json

import httpx
import pytest
from pydantic import ValidationError

from license.api.licenses.schemas import LicenseeIn
from license.config import LicenseSettings
from shared.auth import OrgType
from tests.support.cursors import assert_crafted_cursors_refused
from tests.support.stack import OPERATOR_SCOPES, org, uscc


async def test_a_crafted_cursor_is_refused_on_every_list(
    license_client: httpx.AsyncClient, license_settings: LicenseSettings
) -> None:
    headers = org(OrgType.OPERATOR, "平台运营方").headers(license_settings, OPERATOR_SCOPES)
    for url in ["/v1/licenses", "/v1/breaches"]:
        await assert_crafted_cursors_refused(license_client, url, headers)


def test_a_licensee_s_name_that_shows_nothing_is_refused() -> None:
    licensee = {"name": "\u200b\u3000", "uscc": uscc("91440300")}
    with pytest.raises(ValidationError) as caught:
        LicenseeIn.model_validate_json(json.dumps(licensee))
    assert [(e["loc"], e["type"]) for e in caught.value.errors()] == [
        (("name",), "string_not_visible")
    ]
