"""Listing settings: environment variables prefixed ``LISTING_``."""

from pathlib import Path

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class ListingSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="LISTING_", extra="ignore")

    service_name: str = "listing"
    http_port: int = 8001
    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/listing"
    expiry_sweep_interval_s: float = Field(
        default=3600.0, gt=0, description="How often declarations past their term are ended."
    )
    state_funded_sweep_interval_s: float = Field(
        default=3600.0,
        gt=0,
        description="How often state-funded patents unexploited five years after grant are "
        "flagged (daily dates: hourly catches each day's anniversaries on the day).",
    )
    document_max_bytes: int = Field(
        default=20 * 1024 * 1024, gt=0, description="Largest document accepted for upload."
    )
    search_work_mem: str = Field(
        default="32MB",
        pattern=r"^\d+(kB|MB|GB)$",
        description=(
            "PostgreSQL work_mem of search sessions: enough to keep the bitmap of a common "
            "keyword's candidates exact (4MB, the default, made it lossy and doubled the "
            "time of filtered searches on a million patents)."
        ),
    )
    concordance_dir: Path | None = Field(
        default=None,
        description=(
            "A directory holding replacements of the industry concordance's three files "
            "(gbt4754_2017.json, ipc_gbt4754.json, sei_2018.json; docs/concordance.md), "
            "checked at start-up: a bad file stops the process. Unset: the packaged files."
        ),
    )
    rederive_batch: int = Field(
        default=500, gt=0, le=10_000, description="Patents re-derived per transaction."
    )
    restatement_batch: int = Field(
        default=500, gt=0, le=10_000, description="Patents restated per transaction."
    )
    search_index_dir: Path | None = Field(
        default=None,
        description=(
            "Where this instance keeps its relevance indexes (one directory per kind of "
            "listing), kept across restarts; one directory per instance, never shared. "
            "Unset: a fresh temporary directory, rebuilt from the catalogue at each start."
        ),
    )
    search_poll_interval_s: float = Field(
        default=5.0,
        gt=0,
        description="The fallback poll of the search indexes' follower (writes wake it "
        "through LISTEN/NOTIFY).",
    )
