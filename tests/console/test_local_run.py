"""The local run tells the console where every service's public API is."""

from __future__ import annotations

import json

from devstack.services import SERVICES, local_settings

STATISTICS = next(d for d in SERVICES if d.name == "statistics")


def test_the_console_is_told_every_service_and_no_simulator() -> None:
    urls = {d.name: f"http://127.0.0.1:{d.default_port + 100}" for d in SERVICES}
    settings = local_settings(STATISTICS, {**urls, "patent-office": "http://127.0.0.1:9"})
    assert json.loads(settings["CONSOLE_SERVICE_URLS"]) == urls
