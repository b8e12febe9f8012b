"""Listing's dependency aliases: who may call what."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from shared.auth import OrgType, Principal, Scope
from shared.auth.dependencies import authenticate, require
from shared.auth.principal import PATENTEE_TYPES

Caller = Annotated[Principal, Depends(authenticate)]
Patentee = Annotated[Principal, Depends(require(*PATENTEE_TYPES, scope=Scope.WRITE))]
PatenteeOrOperator = Annotated[
    Principal, Depends(require(*PATENTEE_TYPES, OrgType.OPERATOR, scope=Scope.WRITE))
]
Operator = Annotated[Principal, Depends(require(OrgType.OPERATOR, scope=Scope.OPERATE))]
# Patentees list their patents; connected platforms publish for theirs.
Lister = Annotated[
    Principal, Depends(require(*PATENTEE_TYPES, OrgType.EXCHANGE, scope=Scope.WRITE))
]
Requester = Annotated[
    Principal, Depends(require(*PATENTEE_TYPES, OrgType.EXCHANGE, scope=Scope.WRITE))
]
