"""Matching settings: environment variables prefixed ``MATCHING_``."""

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class MatchingSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="MATCHING_", extra="ignore")

    service_name: str = "matching"
    http_port: int = 8006
    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/matching"

    matches_per_patent: int = Field(
        default=20, ge=1, le=200, description="How many enterprises a patent's matches keep."
    )
    push_cap_per_7_days: int = Field(
        default=20,
        ge=1,
        le=500,
        description="At most this many pushes reach one enterprise in any rolling 7 days.",
    )
    match_interval_s: float = Field(
        default=2.0, gt=0, description="How often the matcher looks for patents to match."
    )
    match_batch: int = Field(
        default=200,
        ge=1,
        le=10_000,
        description="How many queued patents, enterprises or needs one matcher pass takes.",
    )
    rematch_batch: int = Field(
        default=20_000,
        ge=100,
        le=200_000,
        description="How many patents one transaction of a full re-match scores.",
    )
    rematch_interval_s: float = Field(
        default=5.0, gt=0, description="How often the re-matcher looks for a re-match job."
    )
    push_interval_s: float = Field(
        default=5.0, gt=0, description="How often the pusher fills enterprises' inboxes."
    )
    outcomes_csv_max_rows: int = Field(
        default=100_000,
        ge=1,
        le=2_000_000,
        description="At most this many rows in an outcomes CSV export; the response says "
        "so in its X-Export-Capped header when the cap cut it short.",
    )
    push_batch_enterprises: int = Field(
        default=100,
        ge=1,
        le=10_000,
        description="How many enterprises one pass of the pusher serves (it goes on at once "
        "while there are more).",
    )
    campaign_interval_s: float = Field(
        default=5.0, gt=0, description="How often the campaign runner looks for work."
    )
    campaign_batch_enterprises: int = Field(
        default=100,
        ge=1,
        le=10_000,
        description="How many of a campaign's enterprises one pass of the campaign runner "
        "serves (it goes on at once while there are more).",
    )
