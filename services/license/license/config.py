"""License settings: environment variables prefixed ``LICENSE_``."""

from functools import lru_cache

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from license.domain.filing_deadline import FILING_NOTICE_DAYS
from shared.domain.calendar import WorkingDayCalendar, load_default
from shared.settings import ServiceSettings


class LicenseSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="LICENSE_", extra="ignore")

    service_name: str = "license"
    http_port: int = 8002
    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/license"

    # The deadline watch (filing reminders and alarms, late royalty reports and payments).
    deadline_watch_interval_s: float = Field(
        default=300.0, gt=0, description="Seconds between two sweeps of the deadline watch."
    )
    filing_notice_days: int = Field(
        default=FILING_NOTICE_DAYS,
        ge=0,
        description="Days before the filing deadline when the reminder is sent.",
    )
    deadline_watch_batch_size: int = Field(default=200, gt=0)
    document_max_bytes: int = Field(
        default=20 * 1024 * 1024, gt=0, description="Largest evidence document accepted."
    )
    # The working-day calendar credit and mediation deadlines count in.
    calendar_file: str | None = Field(
        default=None,
        description="A working-day calendar JSON file (the packaged "
        "shared/domain/data/cn_working_calendar.json format) to count working-day "
        "deadlines in; unset: the packaged one. Read once per process: restart after "
        "changing it.",
    )


def working_calendar(settings: LicenseSettings) -> WorkingDayCalendar:
    """The calendar the use cases and the deadline watch count working days in."""
    if settings.calendar_file is None:
        return load_default()
    return _calendar_file(settings.calendar_file)


@lru_cache(maxsize=4)
def _calendar_file(path: str) -> WorkingDayCalendar:
    return WorkingDayCalendar.from_file(path)
