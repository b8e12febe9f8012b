"""What the platform use cases are asked to do."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RegisterPlatform:
    org_id: str
    name: str
    region_code: str | None
