"""Statistics settings: environment variables prefixed ``STATISTICS_``."""

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings

# Where the console finds each service's public API, in the local run's port order.
DEFAULT_SERVICE_URLS = {
    "listing": "http://127.0.0.1:8001",
    "license": "http://127.0.0.1:8002",
    "pledge": "http://127.0.0.1:8003",
    "registry-sync": "http://127.0.0.1:8004",
    "webhooks": "http://127.0.0.1:8005",
    "matching": "http://127.0.0.1:8006",
    "statistics": "http://127.0.0.1:8007",
}


class StatisticsSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="STATISTICS_", extra="ignore")

    service_name: str = "statistics"
    http_port: int = 8007
    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/statistics"

    export_max_rows: int = Field(
        default=100_000,
        ge=1,
        le=10_000_000,
        description="At most this many rows in a CSV or XLSX export; a larger export is "
        "refused (422 export-too-large) before anything is sent.",
    )
    console_service_urls: dict[str, str] = Field(
        default_factory=lambda: dict(DEFAULT_SERVICE_URLS),
        description="The console's way to each service's public API (service name -> base "
        "URL); every console action calls them with the user's own token.",
    )
