"""Working-day calendars for tests of deadlines at a year's end: the packaged calendar
cut at 2026, so the tests mean the same once the operator adds 2027 to the packaged file,
and (``with_2027``) a 2027 as the operator would add it: New Year's Day its only January
holiday."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from shared.domain.calendar import DEFAULT_CALENDAR_FILE


def calendar_file(folder: Path, *, with_2027: bool) -> str:
    data = json.loads(
        resources.files("shared.domain").joinpath(DEFAULT_CALENDAR_FILE).read_text("utf-8")
    )
    data["years"] = {y: v for y, v in data["years"].items() if int(y) <= 2026}
    name = "calendar_2026.json"
    if with_2027:
        data["years"]["2027"] = {"holidays": ["2027-01-01"], "adjusted_working_days": []}
        name = "calendar_2027.json"
    path = folder / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)
