"""Pledge's dependency aliases."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from pledge.adapters import Adapters
from shared.auth import OrgType, Principal, Scope
from shared.auth.dependencies import authenticate, require
from shared.auth.principal import PATENTEE_TYPES
from shared.http.dependencies import get_runtime

Caller = Annotated[Principal, Depends(authenticate)]
Pledgor = Annotated[Principal, Depends(require(*PATENTEE_TYPES, scope=Scope.WRITE))]
BankOrOperator = Annotated[
    Principal, Depends(require(OrgType.BANK, OrgType.OPERATOR, scope=Scope.WRITE))
]
BankOrOperatorReader = Annotated[
    Principal, Depends(require(OrgType.BANK, OrgType.OPERATOR, scope=Scope.READ))
]
Insurer = Annotated[
    Principal, Depends(require(OrgType.INSURER, OrgType.OPERATOR, scope=Scope.WRITE))
]
InsurerOnly = Annotated[Principal, Depends(require(OrgType.INSURER, scope=Scope.WRITE))]
# Every organisation that writes but the regulator: its write scope is for credit
# supervision in license only (tests/architecture/test_scopes.py).
Writer = Annotated[
    Principal,
    Depends(require(*(t for t in OrgType if t is not OrgType.REGULATOR), scope=Scope.WRITE)),
]
Operator = Annotated[Principal, Depends(require(OrgType.OPERATOR, scope=Scope.OPERATE))]


def get_adapters(request: Request) -> Adapters:
    return get_runtime(request).extras_of(Adapters)


AdaptersDep = Annotated[Adapters, Depends(get_adapters)]
