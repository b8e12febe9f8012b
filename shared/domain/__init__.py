"""Pure value objects every service uses: identifiers, patent term, working days, money.

Standard library only (no pydantic, FastAPI or SQLAlchemy), so every service's domain layer
may import it. Parsers raise :class:`InvalidIdentifier` with a ``reason`` fit to show a user;
the pydantic types for the API edge are in :mod:`shared.http.types`.
"""

from shared.domain.application_number import (
    ApplicationNumber,
    PatentType,
    application_number_check_digit,
)
from shared.domain.calendar import (
    SHANGHAI,
    CalendarDataError,
    CalendarYearNotCovered,
    WorkingDayCalendar,
    add_months,
    load_default,
    shanghai_date,
)
from shared.domain.errors import InvalidIdentifier
from shared.domain.ipc import IpcCode
from shared.domain.money import CNY, Money, UnsupportedCurrency, to_fen
from shared.domain.patent_term import expiry_date, remaining_term_days, term_years
from shared.domain.region import RegionCode
from shared.domain.uscc import Uscc, uscc_check_character

__all__ = [
    "CNY",
    "SHANGHAI",
    "ApplicationNumber",
    "CalendarDataError",
    "CalendarYearNotCovered",
    "InvalidIdentifier",
    "IpcCode",
    "Money",
    "PatentType",
    "RegionCode",
    "UnsupportedCurrency",
    "Uscc",
    "WorkingDayCalendar",
    "add_months",
    "application_number_check_digit",
    "expiry_date",
    "load_default",
    "remaining_term_days",
    "shanghai_date",
    "term_years",
    "to_fen",
    "uscc_check_character",
]
