"""License settings: environment variables prefixed ``LICENSE_``."""

from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class LicenseSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="LICENSE_", extra="ignore")

    service_name: str = "license"
    http_port: int = 8002
    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/license"
