"""Import boundaries of the architecture, checked on the source (style.md):

- a service never imports another service;
- the shared package never imports a service;
- a service's ``domain`` package imports no framework (FastAPI, SQLAlchemy, SQLModel,
  pydantic, aiokafka, asyncpg, httpx, starlette), and neither does ``shared.domain``.
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
def test_every_service_has_the_same_layout(service: str) -> None:
    expected = {
        "__init__.py",
        "__main__.py",
        "config.py",
        "main.py",
        "models.py",
        "repository.py",
        "service.py",
        "consumers.py",
        "domain/__init__.py",
        "api/__init__.py",
        "api/endpoints.py",
        "api/schemas.py",
        "api/deps.py",
    }
    folder = SERVICES[service]
    missing = sorted(f for f in expected if not (folder / f).exists())
    assert not missing, f"{service} lacks {missing}"
    assert (folder.parent / "migrations" / "env.py").exists()


def test_the_checker_sees_a_violation(tmp_path: Path) -> None:
    """Guard against a checker that can never fail."""
    (tmp_path / "bad.py").write_text("from fastapi import APIRouter\nimport pledge.models\n")
    assert len(violations(tmp_path, FRAMEWORKS | {"pledge"})) == 2
