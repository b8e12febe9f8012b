"""Signing in through the login page, and the events the console tests publish."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from shared.events.envelope import CloudEvent
from shared.events.schemas import EventData, OrgRef, PatenteeRef, PatentRegistered, PledgeRegistered
from tests.console.browser import submit
from tests.support.stack import Org, application_number


def sign_in(driver: WebDriver, base_url: str, token: str) -> None:
    """Paste the token into the login form and send it, as a person would."""
    driver.get(f"{base_url}/console/login")
    field = driver.find_element(By.ID, "token")
    field.clear()
    field.send_keys(token)
    submit(driver, driver.find_element(By.ID, "login-submit"))


def cloud_event(data: EventData, source: str) -> CloudEvent:
    return CloudEvent(
        source=source,
        type=data.event_type,
        subject=data.subject(),
        partitionkey=data.partition_key(),
        data=data.model_dump(mode="json"),
    )


def patent(
    owner: Org, region_code: str = "440300", industry: str = "C384"
) -> tuple[str, CloudEvent]:
    """A patent of ``owner`` registered in the catalogue: its number, and the event."""
    number = application_number()
    data = PatentRegistered(
        application_number=number,
        patent_number=f"ZL{number}",
        patent_type="invention",
        title="一种锂电池健康状态检测方法",
        ipc_codes=["H01M 10/48"],
        industry_codes=[industry],
        patentees=[
            PatenteeRef(
                org_id=owner.org_id, name=owner.name, uscc=owner.uscc, party_type="university"
            )
        ],
        region_code=region_code,
        filing_date=date(2019, 3, 1),
        grant_date=date(2021, 6, 1),
        expiry_date=date(2039, 3, 1),
        legal_status="valid",
        annual_fee_status="paid",
    )
    return number, cloud_event(data, "/ipmarket/listing")


def pledge(number: str, owner: Org, bank: Org, on: date, amount: str = "500000.00") -> CloudEvent:
    data: dict[str, Any] = {
        "pledge_id": str(uuid.uuid4()),
        "application_numbers": [number],
        "pledgor": OrgRef(org_id=owner.org_id, name=owner.name, uscc=owner.uscc),
        "pledgee": OrgRef(org_id=bank.org_id, name=bank.name, uscc=bank.uscc),
        "secured_amount": Decimal(amount),
        "debt_term_end": on + timedelta(days=365),
        "registration_number": f"Y{uuid.uuid4().hex[:10]}",
        "registered_on": on,
    }
    return cloud_event(PledgeRegistered(**data), "/ipmarket/pledge")
