"""Inputs at the edge of the pledge API that must be refused by name, never be a 500."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from pydantic import BaseModel, ValidationError

from pledge.api import schemas
from pledge.api.bank_actions.schemas import ChangeIn
from pledge.api.insurance.schemas import InsuranceClaimCreate, InsuredIn
from pledge.api.pledges.schemas import PledgeeIn
from pledge.api.realisation.schemas import BuyerIn
from pledge.config import PledgeSettings
from shared.auth import OrgType
from tests.support.cursors import assert_crafted_cursors_refused
from tests.support.stack import OPERATOR_SCOPES, org, uscc


async def test_a_crafted_cursor_is_refused_on_every_list(
    pledge_client: httpx.AsyncClient, pledge_settings: PledgeSettings
) -> None:
    headers = org(OrgType.OPERATOR, "平台运营方").headers(pledge_settings, OPERATOR_SCOPES)
    await assert_crafted_cursors_refused(pledge_client, "/v1/pledges", headers)


@pytest.mark.parametrize(
    ("model", "body", "field"),
    [
        (PledgeeIn, {"org_id": "bank-icbc-sz", "name": "\u3000"}, "name"),
        (ChangeIn, {"pledgee_name": "\u200b", "changed_on": "2026-03-01"}, "pledgee_name"),
        (BuyerIn, {"name": " \ufeff", "uscc": uscc("91440300")}, "name"),
        (InsuredIn, {"org_id": "org-1", "name": "\u200d"}, "name"),
        (schemas.RefusalIn, {"reason": "\u3000 "}, "reason"),
        (
            InsuranceClaimCreate,
            {
                "amount": {"amount": "100.00", "currency": "CNY"},
                "incurred_on": "2026-03-01",
                "description": "\u200c",
            },
            "description",
        ),
    ],
)
def test_a_name_or_reason_that_shows_nothing_is_refused(
    model: type[BaseModel], body: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        model.model_validate_json(json.dumps(body))
    assert [(e["loc"], e["type"]) for e in caught.value.errors()] == [
        ((field,), "string_not_visible")
    ]
