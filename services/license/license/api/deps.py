"""License's dependency aliases: who may call what."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from shared.auth import Principal, Scope
from shared.auth.dependencies import authenticate, require
from shared.auth.principal import PATENTEE_TYPES

Caller = Annotated[Principal, Depends(authenticate)]
# Whoever can hold a patent can take a licence: enterprises, universities, research
# institutes and individuals.
Licensee = Annotated[Principal, Depends(require(*PATENTEE_TYPES, scope=Scope.WRITE))]
