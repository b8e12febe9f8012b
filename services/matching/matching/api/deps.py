"""Matching's dependency aliases: who may call."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from shared.auth import OrgType, Principal, Scope
from shared.auth.dependencies import authenticate, require

Caller = Annotated[Principal, Depends(authenticate)]
# An enterprise acting for itself: its profile, its consent, its inbox, its feedback.
Enterprise = Annotated[Principal, Depends(require(OrgType.ENTERPRISE, scope=Scope.WRITE))]
EnterpriseReader = Annotated[Principal, Depends(require(OrgType.ENTERPRISE, scope=Scope.READ))]
Operator = Annotated[Principal, Depends(require(OrgType.OPERATOR, scope=Scope.OPERATE))]
# Who reads every profile and every figure: the operator and regulators.
Oversight = Annotated[
    Principal, Depends(require(OrgType.OPERATOR, OrgType.REGULATOR, scope=Scope.READ))
]
