"""Import boundaries of the architecture, checked on the source (style.md):

- a service never imports another service;
- the shared package never imports a service;
- a service's ``domain`` package imports no framework (FastAPI, SQLAlchemy, SQLModel,
  pydantic, aiokafka, asyncpg, httpx, starlette), and neither does ``shared.domain``:
  neither directly nor through the project's own modules it imports (transitively).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVICES = {
    "listing": ROOT / "services/listing/listing",
    "license": ROOT / "services/license/license",
    "pledge": ROOT / "services/pledge/pledge",
    "registry_sync": ROOT / "services/registry-sync/registry_sync",
    "webhooks": ROOT / "services/webhooks/webhooks",
    "matching": ROOT / "services/matching/matching",
    "ip_statistics": ROOT / "services/statistics/ip_statistics",
}
FRAMEWORKS = {
    "fastapi",
    "starlette",
    "sqlalchemy",
    "sqlmodel",
    "pydantic",
    "pydantic_settings",
    "aiokafka",
    "asyncpg",
    "httpx",
    "alembic",
}


def imported_modules(path: Path) -> Iterator[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module


def python_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.py") if "migrations" not in p.parts)


def violations(folder: Path, forbidden: set[str]) -> list[str]:
    found = []
    for path in python_files(folder):
        for line, module in imported_modules(path):
            if module.split(".")[0] in forbidden:
                found.append(f"{path.relative_to(folder)}:{line} imports {module}")
    return found


# Where first-party modules live: a dotted name's first part picks the folder above it.
SOURCE_ROOTS = {"shared": ROOT, **{name: folder.parent for name, folder in SERVICES.items()}}


def module_file(name: str) -> Path | None:
    """The file of first-party module ``name`` (a package's ``__init__.py``), if any."""
    root = SOURCE_ROOTS.get(name.split(".")[0])
    if root is None:
        return None
    base = root.joinpath(*name.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def module_name(path: Path) -> str:
    # The deepest root holding it: every root is under the repository's, which holds shared.
    root = max(
        (r for r in SOURCE_ROOTS.values() if path.is_relative_to(r)), key=lambda r: len(r.parts)
    )
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_names(path: Path) -> Iterator[str]:
    """Every module ``path`` imports: ``from a import b`` names ``a`` and, when it is a
    module, ``a.b``; relative imports are resolved."""
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            yield module
            yield from (f"{module}.{alias.name}" for alias in node.names)


def framework_chains(start: Path, forbidden: set[str]) -> list[str]:
    """How the modules reachable from ``start`` (a file or a package folder) through the
    project's own imports reach a forbidden one: ``a -> b -> pydantic``, one per module
    that imports it directly."""
    files = [start] if start.is_file() else python_files(start)
    pending = [(f, [module_name(f)]) for f in files]
    seen: set[Path] = set()
    chains = []
    while pending:
        path, chain = pending.pop()
        if path in seen:
            continue
        seen.add(path)
        for name in imported_names(path):
            if name.split(".")[0] in forbidden:
                chains.append(" -> ".join([*chain, name]))
            elif (target := module_file(name)) is not None and target not in seen:
                pending.append((target, [*chain, name]))
    return sorted(set(chains))


def test_every_service_package_exists() -> None:
    missing = [name for name, folder in SERVICES.items() if not (folder / "__init__.py").exists()]
    assert not missing, f"service packages missing: {missing}"


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_a_service_never_imports_another_service(service: str) -> None:
    others = set(SERVICES) - {service}
    assert violations(SERVICES[service], others) == []


def test_shared_never_imports_a_service() -> None:
    assert violations(ROOT / "shared", set(SERVICES)) == []


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_domain_layer_imports_no_framework(service: str) -> None:
    domain = SERVICES[service] / "domain"
    assert domain.is_dir(), f"{service} has no domain package"
    assert violations(domain, FRAMEWORKS) == []


def test_shared_domain_imports_no_framework() -> None:
    assert violations(ROOT / "shared/domain", FRAMEWORKS) == []


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_domain_layer_reaches_no_framework_through_what_it_imports(service: str) -> None:
    assert framework_chains(SERVICES[service] / "domain", FRAMEWORKS) == []


def test_shared_domain_reaches_no_framework_through_what_it_imports() -> None:
    assert framework_chains(ROOT / "shared/domain", FRAMEWORKS) == []


def test_the_transitive_checker_sees_a_framework_behind_a_project_module() -> None:
    """Guard against a checker that can never fail: the event schemas reach pydantic, so
    a domain module importing an enum from them would be reported."""
    chains = framework_chains(ROOT / "shared/events/schemas/license.py", FRAMEWORKS)
    assert "shared.events.schemas.license -> pydantic" in chains
    assert framework_chains(ROOT / "shared/domain/terms.py", FRAMEWORKS) == []


def test_the_checker_sees_a_violation(tmp_path: Path) -> None:
    """Guard against a checker that can never fail."""
    (tmp_path / "bad.py").write_text("from fastapi import APIRouter\nimport pledge.models\n")
    assert len(violations(tmp_path, FRAMEWORKS | {"pledge"})) == 2
