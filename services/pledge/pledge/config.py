"""Pledge settings: environment variables prefixed ``PLEDGE_``."""

from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class PledgeSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="PLEDGE_", extra="ignore")

    service_name: str = "pledge"
    http_port: int = 8003
    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/pledge"
