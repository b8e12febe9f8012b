"""Signing in: a bad token is refused on the page, a good one opens the home page."""

from __future__ import annotations

import httpx
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from tests.console.browser import screenshot, submit
from tests.console.conftest import OPERATOR, Console
from tests.console.support import sign_in


def test_a_page_without_a_session_leads_to_the_login_page(
    console: Console, browser: WebDriver
) -> None:
    browser.delete_all_cookies()
    browser.get(f"{console.url}/console/network")
    assert browser.current_url == f"{console.url}/console/login"
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-CN"
    screenshot(browser, "login")


def test_a_bad_token_is_refused_and_no_session_is_kept(
    console: Console, browser: WebDriver
) -> None:
    browser.delete_all_cookies()
    sign_in(browser, console.url, console.operator[:-4] + "AAAA")  # signature broken
    error = browser.find_element(By.ID, "login-error").text
    assert error.startswith("令牌无效")
    assert browser.get_cookie("ipmarket_console") is None
    screenshot(browser, "login-refused")


def test_the_operator_signs_in_and_sees_who_it_is(console: Console, browser: WebDriver) -> None:
    browser.delete_all_cookies()
    sign_in(browser, console.url, console.operator)
    screenshot(browser, "home")
    assert browser.current_url == f"{console.url}/console/"
    assert browser.find_element(By.ID, "org-name").text == OPERATOR.name
    assert "operator" in browser.find_element(By.ID, "role").text
    cookie = browser.get_cookie("ipmarket_console")
    assert cookie is not None
    assert cookie["httpOnly"] is True
    assert cookie["sameSite"] == "Strict"
    links = {a.text for a in browser.find_elements(By.CSS_SELECTOR, "header nav a")}
    assert {"网络 Network", "统计 Statistics"} <= links
    # This year's key figures: one row per measure the statistics API lists.
    rows = browser.find_elements(By.CSS_SELECTOR, "main table tbody tr")
    assert any("专利质押" in row.text for row in rows)

    submit(browser, browser.find_element(By.CSS_SELECTOR, "header form button"))  # 退出登录
    assert browser.current_url == f"{console.url}/console/login"
    assert browser.get_cookie("ipmarket_console") is None


def test_a_form_without_its_session_csrf_token_changes_nothing(console: Console) -> None:
    async def post(path: str, form: dict[str, str]) -> httpx.Response:
        async with httpx.AsyncClient(
            base_url=console.url, cookies={"ipmarket_console": console.operator}
        ) as client:
            return await client.post(path, data=form)

    forged = console.background.run(
        post("/console/network/dead-letters/webhooks/redrive", {"csrf": "forged"})
    )
    assert forged.status_code == 403
    assert "CSRF" in forged.text
    # A login form that did not come from the login page (no nonce cookie) is refused too.
    login = console.background.run(post("/console/login", {"token": console.operator}))
    assert login.status_code == 400
    assert "ipmarket_console=" not in login.headers.get("set-cookie", "")
