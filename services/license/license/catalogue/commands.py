"""What the catalogue view's use cases are asked to do: learn listing's patent facts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from license.domain.catalogue import PatentFacts, PatentStatus
from license.domain.declaration import Patentee


@dataclass(frozen=True)
class RestatePatent:
    """A registration, or a restatement of a patent registered earlier: all its facts
    as listing held them at ``as_of``."""

    application_number: str
    facts: PatentFacts
    patentees: tuple[Patentee, ...]
    status: PatentStatus
    as_of: datetime


@dataclass(frozen=True)
class ChangePatentStatus:
    application_number: str
    status: PatentStatus
    as_of: datetime


@dataclass(frozen=True)
class ChangeOwner:
    application_number: str
    patentees: tuple[Patentee, ...]
    as_of: datetime
