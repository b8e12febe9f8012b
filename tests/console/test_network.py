"""The network page: a connected platform whose receiver is down, its failures counted
and its endpoint shown failing; a failed delivery replayed once the receiver is back."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from shared.auth import OrgType
from tests.console.browser import reloaded_until, screenshot, submit, until
from tests.console.conftest import Console
from tests.console.support import patent, sign_in
from tests.support.stack import Org, org
from tests.webhooks.receiver import Receiver


@pytest.fixture
def receiver(console: Console) -> Iterator[Receiver]:
    receiver = Receiver(f"console-{uuid.uuid4().hex[:6]}", answer_status=503)
    console.background.run(receiver.start())
    try:
        yield receiver
    finally:
        console.background.run(receiver.stop())


def connect(console: Console, receiver: Receiver, exchange: Org) -> str:
    """The exchange's platform and its endpoint at the receiver; the endpoint's id."""
    platform = console.call(
        "POST",
        f"{console.webhooks_url}/v1/platforms",
        console.operator,
        json={"org_id": exchange.org_id, "name": exchange.name, "region_code": "440300"},
    )
    assert platform.status_code == 201, platform.text
    endpoint = console.call(
        "POST",
        f"{console.webhooks_url}/v1/platforms/{platform.json()['id']}/endpoints",
        console.token(exchange),
        json={"url": receiver.url, "description": "深圳技术交易所主站"},
    )
    assert endpoint.status_code == 201, endpoint.text
    receiver.secrets.append(endpoint.json()["secret"])
    return str(endpoint.json()["id"])


def _cell(driver: WebDriver, endpoint_id: str, name: str) -> str:
    row = driver.find_element(By.CSS_SELECTOR, f"tr.endpoint[data-endpoint-id='{endpoint_id}']")
    return str(row.find_element(By.CSS_SELECTOR, f"td.{name}").text)


def _failed(driver: WebDriver, endpoint_id: str) -> list[str]:
    rows = driver.find_elements(
        By.CSS_SELECTOR, f"tr.failures[data-endpoint-id='{endpoint_id}'] tr.failed-delivery"
    )
    return [str(r.get_attribute("data-delivery-id")) for r in rows]


def test_a_receiver_that_is_down_then_a_replay_that_reaches_it(
    console: Console, browser: WebDriver, receiver: Receiver
) -> None:
    exchange = org(OrgType.EXCHANGE, "深圳技术交易所")
    endpoint_id = connect(console, receiver, exchange)
    _, registered = patent(org(OrgType.UNIVERSITY, "华南理工大学"))
    console.publish(registered)

    sign_in(browser, console.url, console.operator)
    page = f"{console.url}/console/network"

    # The page reads the delivery figures and the failed deliveries in two calls: a
    # retry landing between them shows a failure beside the figures of one attempt less.
    def given_up(d: WebDriver) -> list[str] | None:
        found = _failed(d, endpoint_id)
        return found if found and int(_cell(d, endpoint_id, "failed-attempts")) >= 3 else None

    failed = reloaded_until(browser, page, given_up, timeout=60)
    screenshot(browser, "network-receiver-down")
    row = browser.find_element(By.CSS_SELECTOR, f"tr.endpoint[data-endpoint-id='{endpoint_id}']")
    assert "failing" in str(row.get_attribute("class"))
    assert "连续失败" in row.text
    assert int(_cell(browser, endpoint_id, "failed-attempts")) >= 3  # first try and 2 retries
    assert _cell(browser, endpoint_id, "delivered") == "0"
    assert receiver.received == []
    # The services the console cannot reach show as down, not as an error page.
    down = browser.find_element(By.CSS_SELECTOR, "#dead-letters tr[data-service='listing']")
    assert "down" in str(down.get_attribute("class"))
    assert "服务不可用" in down.text

    receiver.answer_status = 204
    replay = f"tr.failed-delivery[data-delivery-id='{failed[0]}'] button.replay"
    submit(browser, browser.find_element(By.CSS_SELECTOR, replay))
    assert "已重新推送" in browser.find_element(By.ID, "notice").text
    until(lambda: [r for r in receiver.received if r.webhook_id == registered.id], timeout=30)
    reloaded_until(
        browser,
        page,
        lambda d: not _failed(d, endpoint_id) and _cell(d, endpoint_id, "delivered") == "1",
    )
    screenshot(browser, "network-replayed")

    # The exchange sees its own platform, without the operator's dead letters.
    sign_in(browser, console.url, console.token(exchange))
    browser.get(page)
    platforms = browser.find_elements(By.CSS_SELECTOR, "div.platform")
    assert [p.find_element(By.TAG_NAME, "h3").text.split()[0] for p in platforms] == [exchange.name]
    assert browser.find_elements(By.ID, "dead-letters") == []
    screenshot(browser, "network-exchange")
