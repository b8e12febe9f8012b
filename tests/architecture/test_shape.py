"""The shape every service keeps (docs/architecture.md), checked on the source:

- nothing outside a service's ``api`` package imports it (use cases take commands, not
  request bodies; consumers build commands, not HTTP bodies);
- a service's top level holds only the agreed modules, plus its areas;
- no module under ``services/`` or ``shared/`` (migrations aside) passes 400 lines;
- the rules read the time through ``shared.clock``, never from the system directly,
  so a test can move it inside the service processes.

Each checker is also run on a planted violation, so none of them can pass by never
looking.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.architecture.test_import_boundaries import (
    ROOT,
    SERVICES,
    python_files,
)

MAX_LINES = 400

# What any service may hold at its top level (docs/architecture.md, "Naming").
COMMON_MODULES = {
    "__init__.py",
    "__main__.py",
    "main.py",
    "config.py",
    "models.py",
    "mapping.py",
    "repository.py",
    "commands.py",
    "service.py",
    "queries.py",
    "consumers.py",
    "workers.py",
    "adapters",
    "api",
    "domain",
}
# A service split by area has one package per area instead of commands.py and service.py.
AREAS: dict[str, set[str]] = {
    "listing": {
        "catalogue",
        "declarations",
        "encumbrances",
        "history",
        "market",
        "evidence",
        "search",
        "bulk",
        "inventory",
        "uploads",
        "coverage",
        "funding",
        "industries",
        "restatements",
        "restrictions",
    },
    "license": {
        "declarations",
        "pledges",
        "licenses",
        "filing",
        "royalties",
        "breaches",
        # catalogue: license's view of listing's patents (consumed events only).
        "catalogue",
        "deals",
        "mediation",
        "credit",
        "evidence",
    },
    # views: pledge's own views of patents, declarations and licences (consumed events only).
    "pledge": {
        "pledges",
        "bank_actions",
        "banks",
        "valuations",
        "insurance",
        "realisation",
        "views",
    },
    # catalogue: registry-sync's view of listing's patents (consumed events only);
    # filings: registry-sync's view of licences filed and transfers recorded (consumed
    # events only), which reconciliation compares with the registrations.
    "registry_sync": {
        "registrations",
        "tax_evidence",
        "recordals",
        "legal_status",
        "filings",
        "reconciliation",
        "catalogue",
    },
    "webhooks": {"platforms", "endpoints", "deliveries", "inbound", "outbound_events"},
    # catalogue: matching's view of listing's patents and needs (consumed events only);
    # profiles: enterprise profiles, consent, the operator's import.
    "matching": {
        "catalogue",
        "profiles",
        "matches",
        "pushes",
        "feedback",
        "campaigns",
        "outcomes",
    },
    # ingest: the public events into facts and patent attributes (consumed events only);
    # figures: what is read of them.
    "ip_statistics": {"ingest", "figures"},
}
# Areas without endpoints: fed by consumed events only, or (bulk) a command-line tool.
NO_API = {
    ("listing", "bulk"),
    ("listing", "restrictions"),
    ("license", "pledges"),
    ("license", "catalogue"),
    ("pledge", "views"),
    ("matching", "catalogue"),
    ("registry_sync", "legal_status"),
    ("registry_sync", "filings"),
    ("registry_sync", "catalogue"),
    ("ip_statistics", "ingest"),
}
REQUIRED = {"__init__.py", "__main__.py", "main.py", "config.py", "models.py", "domain", "api"}

# Reading the system's time directly. What is infrastructure rather than a rule (token
# expiry, retention, leases, signature timestamps, latency) may, in the modules listed.
CLOCK_CALLS = {
    ("datetime", "now"),
    ("datetime", "utcnow"),
    ("datetime", "today"),
    ("date", "today"),
    ("time", "time"),
}
CLOCK_FUNCTIONS = {"today_in_shanghai"}
TIME_IS_INFRASTRUCTURE = {
    "shared/clock.py",  # the one clock itself
    "shared/auth/tokens.py",  # token expiry: a moved clock must not expire a test's token
    "shared/http/idempotency.py",  # how long a kept answer is awaited
    "shared/messaging/outbox.py",  # retention and relay lag
    "shared/messaging/replay.py",  # the replay window is retention
    "shared/messaging/consumer.py",  # inbox records' handling time
    "shared/events/envelope.py",  # the default time of an envelope built outside a service
    # A plausibility bound on typed input (a filing year at most next year), with a year's
    # slack: no rule's date depends on it.
    "shared/domain/application_number.py",
    # A signed webhook's timestamp is checked against, and written from, the real time:
    # receivers and senders elsewhere keep real clocks.
    "services/webhooks/webhooks/inbound/service.py",
    "services/webhooks/webhooks/adapters/receivers.py",
}


def _imports(path: Path, package: list[str]) -> Iterator[str]:
    """The modules ``path`` imports (``from a import b``: ``a`` and ``a.b``), relative
    imports resolved against ``package``, the dotted package holding it."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            yield module
            yield from (f"{module}.{alias.name}" for alias in node.names)


# The bootstrap composes the app from the api's routers: it is the one entrypoint above api.
COMPOSITION_ROOT = {"main.py", "__main__.py"}


def api_importers(service_dir: Path) -> list[str]:
    """Modules of the service outside its ``api`` package (and its bootstrap) that
    import it."""
    api = f"{service_dir.name}.api"
    found = []
    for path in python_files(service_dir):
        relative = path.relative_to(service_dir)
        if relative.parts[0] == "api" or str(relative) in COMPOSITION_ROOT:
            continue
        package = [service_dir.name, *relative.parent.parts]
        if any(n == api or n.startswith(api + ".") for n in _imports(path, package)):
            found.append(str(relative))
    return sorted(found)


def unexpected_top_level(service_dir: Path, areas: set[str]) -> list[str]:
    allowed = COMMON_MODULES | areas
    present = {
        p.name
        for p in service_dir.iterdir()
        if (p.suffix == ".py" or (p.is_dir() and (p / "__init__.py").exists()))
    }
    return sorted(present - allowed)


def oversized(folder: Path, limit: int = MAX_LINES) -> list[str]:
    found = []
    for path in python_files(folder):
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > limit:
            found.append(f"{path.relative_to(folder)}: {lines} lines")
    return found


def _calls(tree: ast.AST) -> Iterator[ast.Call]:
    return (node for node in ast.walk(tree) if isinstance(node, ast.Call))


# A table's time column may fall back to the system time when a row is built without
# one; the use cases set every time a rule reads from the clock.
TIME_FALLBACK_MODULES = {"models.py"}


def direct_time_reads(folder: Path, allowed: set[str]) -> list[str]:
    """``datetime.now()``, ``date.today()``, ``time.time()``, ``today_in_shanghai()``
    outside the allowed modules (paths relative to the repository) and tables' models."""
    found = []
    for path in python_files(folder):
        where = str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)
        if where in allowed or path.name in TIME_FALLBACK_MODULES:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for call in _calls(tree):
            func = call.func
            if (
                isinstance(func, ast.Attribute)
                and isinstance(func.value, ast.Name)
                and (func.value.id, func.attr) in CLOCK_CALLS
            ) or (isinstance(func, ast.Name) and func.id in CLOCK_FUNCTIONS):
                found.append(f"{where}:{call.lineno}")
    return found


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_nothing_outside_api_imports_api(service: str) -> None:
    assert api_importers(SERVICES[service]) == []


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_a_service_holds_only_the_agreed_modules(service: str) -> None:
    folder = SERVICES[service]
    assert unexpected_top_level(folder, AREAS[service]) == []
    missing = sorted(m for m in REQUIRED if not (folder / m).exists())
    assert missing == [], f"{service} lacks {missing}"
    assert (folder / "api" / "deps.py").exists()
    assert (folder.parent / "migrations" / "env.py").exists()


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_a_service_split_by_area_has_no_top_level_use_cases(service: str) -> None:
    folder = SERVICES[service]
    if not AREAS[service]:
        assert (folder / "service.py").exists(), f"{service} has no service.py"
        return
    assert not (folder / "service.py").exists()
    assert not (folder / "commands.py").exists()
    for area in AREAS[service]:
        assert (folder / area / "service.py").exists(), f"{service}.{area} has no service.py"
        if (service, area) not in NO_API:
            assert (folder / "api" / area / "endpoints.py").exists(), f"{service} api lacks {area}"


@pytest.mark.parametrize("folder", ["services", "shared"])
def test_no_module_passes_400_lines(folder: str) -> None:
    assert oversized(ROOT / folder) == []


@pytest.mark.parametrize("folder", ["services", "shared"])
def test_the_rules_read_the_time_through_the_clock(folder: str) -> None:
    assert direct_time_reads(ROOT / folder, TIME_IS_INFRASTRUCTURE) == []


# -- the checkers on planted violations ---------------------------------------------------


def _plant(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_the_api_check_sees_a_use_case_importing_a_request_body(tmp_path: Path) -> None:
    service = _plant(
        tmp_path / "svc",
        {
            "__init__.py": "",
            "api/__init__.py": "",
            "api/endpoints.py": "from svc.api import schemas\nfrom svc import service\n",
            "service.py": "from svc.api.schemas import PatentIn\n",
            "consumers.py": "from .api import schemas\n",
            "area/service.py": "from ..api import schemas\n",
            "workers.py": "from svc import service\nimport svc.apis\n",
            "main.py": "from svc.api import endpoints\n",
        },
    )
    assert api_importers(service) == ["area/service.py", "consumers.py", "service.py"]


def test_the_module_set_check_sees_a_stray_module(tmp_path: Path) -> None:
    service = _plant(
        tmp_path / "svc",
        {"__init__.py": "", "service.py": "", "utils.py": "", "helpers/__init__.py": ""},
    )
    assert unexpected_top_level(service, set()) == ["helpers", "utils.py"]
    assert unexpected_top_level(service, {"helpers"}) == ["utils.py"]


def test_the_size_check_sees_a_long_module(tmp_path: Path) -> None:
    folder = _plant(tmp_path, {"short.py": "x = 1\n" * 400, "long.py": "x = 1\n" * 401})
    assert oversized(folder) == ["long.py: 401 lines"]


def test_the_size_check_leaves_migrations_alone(tmp_path: Path) -> None:
    folder = _plant(tmp_path, {"migrations/versions/big.py": "x = 1\n" * 900})
    assert oversized(folder) == []


def test_the_clock_check_sees_each_way_of_reading_the_time(tmp_path: Path) -> None:
    folder = _plant(
        tmp_path,
        {
            "rules.py": (
                "from datetime import UTC, date, datetime\n"
                "import time\n"
                "from shared.domain import today_in_shanghai\n"
                "a = datetime.now(UTC)\n"
                "b = date.today()\n"
                "c = time.time()\n"
                "d = today_in_shanghai()\n"
                "e = time.monotonic()\n"
            ),
        },
    )
    assert [line.rsplit(":", 1)[1] for line in direct_time_reads(folder, set())] == [
        "4",
        "5",
        "6",
        "7",
    ]
