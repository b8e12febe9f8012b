"""Statistics' dependency aliases: who is reading, and how much of the figures."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from ip_statistics.domain.query import Viewer, viewer
from shared.auth import Principal
from shared.auth.dependencies import authenticate


async def reader(principal: Annotated[Principal, Depends(authenticate)]) -> Viewer:
    """Regulators and the operator read everything, a patentee its own patents' figures
    (those whose patentees name its org id or its USCC), a bank the pledges where it is
    the pledgee; anyone else is refused (403)."""
    return viewer(principal.org_type.value, principal.org_id, principal.uscc)


Reader = Annotated[Viewer, Depends(reader)]
