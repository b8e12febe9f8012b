"""Signing in through the login page, and the events the console tests publish."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from shared.events.envelope import CloudEvent
from tests.console.browser import submit
from tests.statistics.scenario import envelope, registered
from tests.statistics.scenario import pledge as registered_pledge
from tests.support.stack import Org, application_number


def sign_in(driver: WebDriver, base_url: str, token: str) -> None:
    """Paste the token into the login form and send it, as a person would."""
    driver.get(f"{base_url}/console/login")
    field = driver.find_element(By.ID, "token")
    field.clear()
    field.send_keys(token)
    submit(driver, driver.find_element(By.ID, "login-submit"))


def patent(
    owner: Org, region_code: str = "440300", industry: str = "C384"
) -> tuple[str, CloudEvent]:
    """A patent of ``owner`` registered in the catalogue now: its number, and the event."""
    number = application_number()
    return number, envelope(registered(number, owner, region_code, industry), datetime.now(UTC))


def pledge(number: str, owner: Org, bank: Org, on: date, amount: str = "500000.00") -> CloudEvent:
    """The pledge of the patent ``number`` registered on ``on``."""
    data = registered_pledge(str(uuid.uuid4()), number, owner, bank, amount, on)
    return envelope(data, datetime.now(UTC))
