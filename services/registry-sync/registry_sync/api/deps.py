"""Registry-sync's dependency aliases."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from shared.auth import Principal
from shared.auth.dependencies import authenticate

Caller = Annotated[Principal, Depends(authenticate)]
