"""Pledge's dependency aliases."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from shared.auth import OrgType, Principal, Scope
from shared.auth.dependencies import authenticate, require
from shared.auth.principal import PATENTEE_TYPES

Caller = Annotated[Principal, Depends(authenticate)]
Pledgor = Annotated[Principal, Depends(require(*PATENTEE_TYPES, scope=Scope.WRITE))]
BankOrOperator = Annotated[
    Principal, Depends(require(OrgType.BANK, OrgType.OPERATOR, scope=Scope.WRITE))
]
