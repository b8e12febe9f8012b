"""Webhooks settings: environment variables prefixed ``WEBHOOKS_``."""

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class WebhooksSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="WEBHOOKS_", extra="ignore")

    service_name: str = "webhooks"
    http_port: int = 8005
    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/webhooks"
    secret_encryption_key: SecretStr = Field(
        # Development only; production sets a 32-byte URL-safe base64 key.
        default=SecretStr("ZGV2ZWxvcG1lbnQtb25seS1rZXktMzItYnl0ZXMhIQ=="),
        description="Key that encrypts endpoint signing secrets at rest.",
    )
