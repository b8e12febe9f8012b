"""Headless Chromium from Debian's packages, driven through its packaged chromedriver.

Nothing here downloads a browser: the driver's path is given, so Selenium Manager never
runs. Without the background-networking flags Chromium keeps opening connections to
Google's services, which a machine without internet refuses many at a time.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.wait import WebDriverWait

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-output" / "console"
FLAGS = (
    "--headless=new",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1280,800",
    "--lang=zh-CN",
)

T = TypeVar("T")


@contextmanager
def chromium(downloads: Path) -> Iterator[WebDriver]:
    """A fresh headless Chromium (its own profile) saving downloads to ``downloads``."""
    profile = Path(tempfile.mkdtemp(prefix="ipmarket-chromium-"))
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    if os.geteuid() == 0:
        options.add_argument("--no-sandbox")  # Chromium's sandbox refuses to run as root
    options.add_experimental_option(
        "prefs",
        {
            "download.default_directory": str(downloads),
            "download.prompt_for_download": False,
            "safebrowsing.enabled": False,
        },
    )
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def screenshot(driver: WebDriver, name: str) -> Path:
    """The whole page as a PNG under test-output/console/, 1280 wide."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    height = int(driver.execute_script("return document.documentElement.scrollHeight"))
    driver.set_window_size(1280, max(800, min(height + 120, 6000)))
    try:
        driver.save_screenshot(str(path))
    finally:
        driver.set_window_size(1280, 800)
    return path


def submit(driver: WebDriver, button: WebElement, timeout: float = 30.0) -> None:
    """Click a button that sends a form, and wait until the page it leads to has replaced
    this one (a click returns before the browser has navigated). The old page is marked;
    a page without the mark is the new one."""
    driver.execute_script("window.__leaving = true")
    button.click()

    def arrived(driver: WebDriver) -> bool:
        try:
            return (
                driver.execute_script(
                    "return document.readyState === 'complete' && !window.__leaving"
                )
                is True
            )
        except WebDriverException:
            return False  # asked while the browser was between the two pages

    WebDriverWait(driver, timeout).until(arrived)


def until(check: Callable[[], T | None], *, timeout: float = 30.0, every: float = 0.25) -> T:
    """Poll ``check`` until it returns something truthy; fail with its last answer."""
    deadline = time.monotonic() + timeout
    last: T | None = None
    while time.monotonic() < deadline:
        last = check()
        if last:
            return last
        time.sleep(every)
    raise AssertionError(f"not so within {timeout}s (last: {last!r})")


def reloaded_until(
    driver: WebDriver, url: str, check: Callable[[WebDriver], T | None], timeout: float = 30.0
) -> T:
    """Open ``url`` again and again until ``check`` finds what it looks for on the page."""

    def look() -> T | None:
        driver.get(url)
        return check(driver)

    return until(look, timeout=timeout, every=0.3)
