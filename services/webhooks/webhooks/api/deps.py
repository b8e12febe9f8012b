"""Webhooks' dependency aliases."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from shared.auth import OrgType, Principal
from shared.auth.dependencies import require

OperatorOrExchange = Annotated[Principal, Depends(require(OrgType.OPERATOR, OrgType.EXCHANGE))]
