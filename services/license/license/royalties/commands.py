"""What the running-royalty use cases are asked to do."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class ReportRoyalty:
    """The licensee's statement of its royalty base for one ended period (提成费报告)."""

    license_id: str
    period_id: str
    # In CNY, as reported (exact to the fen); the event repeats it as written.
    base_amount: Decimal
