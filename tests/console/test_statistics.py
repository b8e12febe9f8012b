"""The statistics page: its charts follow the events as they arrive, its CSV export
carries the same figures, and an institution sees only its own patents' figures."""

from __future__ import annotations

import csv
from pathlib import Path

from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from shared.auth import OrgType
from tests.console.browser import reloaded_until, screenshot, until
from tests.console.conftest import BANK, UNIVERSITY, Console
from tests.console.support import patent, pledge, sign_in
from tests.support.stack import org, real_today


def bars(driver: WebDriver, chart: str) -> dict[str, int]:
    """The chart's bars as drawn: what each stands for -> its value."""
    return {
        str(g.get_attribute("data-key")): int(str(g.get_attribute("data-value")))
        for g in driver.find_elements(By.CSS_SELECTOR, f"#{chart} svg g.bar")
    }


def test_the_chart_changes_after_new_events_and_the_csv_matches(
    console: Console, browser: WebDriver, downloads: Path
) -> None:
    today = real_today()
    month = f"{today:%Y-%m}"
    number, registered = patent(UNIVERSITY, region_code="440300")
    console.publish(registered, pledge(number, UNIVERSITY, BANK, today))

    sign_in(browser, console.url, console.operator)
    page = f"{console.url}/console/statistics?measure=pledges"
    reloaded_until(browser, page, lambda d: bars(d, "province-chart").get("440000"))
    before = bars(browser, "monthly-chart")[month]
    assert before >= 1
    assert "广东省" in browser.find_element(By.ID, "province-chart").text
    screenshot(browser, "statistics-before")

    scu = org(OrgType.UNIVERSITY, "四川大学")
    other, registered_other = patent(scu, region_code="510100")
    console.publish(
        registered_other,
        pledge(other, scu, BANK, today, amount="800000.00"),
        pledge(number, UNIVERSITY, BANK, today, amount="300000.00"),
    )
    # The pledges and the patent that places one of them come on different topics: the
    # bar moves to its province once the patent's attributes have arrived too.
    reloaded_until(
        browser,
        page,
        lambda d: (
            bars(d, "monthly-chart").get(month) == before + 2
            and bars(d, "province-chart").get("510000") == 1
        ),
    )
    assert "四川省" in browser.find_element(By.ID, "province-chart").text
    total = int(browser.find_element(By.ID, "total-count").text)
    screenshot(browser, "statistics-after")

    for old in downloads.glob("*.csv"):
        old.unlink()
    browser.find_element(By.ID, "export-csv").click()
    exported = until(lambda: [p for p in downloads.glob("*.csv") if p.stat().st_size], timeout=30)
    with exported[0].open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    # Columns are headed "月份 (month)": the label, and the API's name in brackets.
    rows = [{k.rsplit("(", 1)[-1].rstrip(")"): v for k, v in r.items()} for r in rows]
    by_place = {(r["month"], r["province"]): int(r["count"]) for r in rows}
    assert by_place[(month, "510000")] == 1
    assert sum(by_place.values()) == total


def test_an_institution_sees_its_own_figures_and_no_network_page(
    console: Console, browser: WebDriver
) -> None:
    today = real_today()
    mine, registered = patent(UNIVERSITY, region_code="110108")
    zju = org(OrgType.UNIVERSITY, "浙江大学")
    theirs, registered_theirs = patent(zju, region_code="330106")
    console.publish(
        registered,
        registered_theirs,
        pledge(mine, UNIVERSITY, BANK, today),
        pledge(theirs, zju, BANK, today),
    )
    sign_in(browser, console.url, console.token(UNIVERSITY))
    links = {a.text for a in browser.find_elements(By.CSS_SELECTOR, "header nav a")}
    assert "网络 Network" not in links
    assert "统计 Statistics" in links
    screenshot(browser, "home-university")

    page = f"{console.url}/console/statistics?measure=pledges"
    provinces = reloaded_until(
        browser,
        page,
        lambda d: bars(d, "province-chart").get("110000") and bars(d, "province-chart"),
    )
    assert "330000" not in provinces  # 浙江大学's patent is not 清华大学's to see
    screenshot(browser, "statistics-university")

    browser.get(f"{console.url}/console/network")
    assert "仅供平台运营方" in browser.find_element(By.ID, "refused").text
    screenshot(browser, "network-refused-university")


def test_a_bank_is_offered_the_pledges_only(console: Console, browser: WebDriver) -> None:
    sign_in(browser, console.url, console.token(BANK))
    browser.get(f"{console.url}/console/statistics")
    offered = [
        o.get_attribute("value") for o in browser.find_elements(By.CSS_SELECTOR, "#measure option")
    ]
    assert offered == ["pledges"]
    # The page opens on a measure the bank reads: no refusal shown.
    assert browser.find_elements(By.CSS_SELECTOR, "main .problem") == []
    screenshot(browser, "statistics-bank")


def test_the_inventory_page_shows_coverage_and_matching_outcomes(
    console: Console, browser: WebDriver
) -> None:
    sign_in(browser, console.url, console.operator)
    browser.get(f"{console.url}/console/inventory")
    assert "盘点覆盖" in browser.page_source
    for table in ("overall", "province", "party-type"):
        assert browser.find_elements(By.ID, f"coverage-{table}")
    outcomes = browser.find_elements(By.CSS_SELECTOR, "table.outcome")
    assert {str(t.get_attribute("data-measure")) for t in outcomes} == {
        "matching_pushes",
        "pushes_opened",
        "match_feedback",
    }
    assert browser.find_elements(By.CSS_SELECTOR, "p.problem") == []
    screenshot(browser, "inventory")
