"""Settings common to every service.

Each service subclasses :class:`ServiceSettings` with its own ``env_prefix``
(``LISTING_``, ``LICENSE_``, ``PLEDGE_``, ``REGISTRY_SYNC_``, ``WEBHOOKS_``), so
``LISTING_DATABASE_URL`` configures listing and nothing else.
"""

from __future__ import annotations

from typing import Self

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# A development-only signing key. Production sets AUTH_JWT_KEY to the OIDC provider's
# public key (RS256/ES256) and never uses this value; see docs/auth.md.
DEV_JWT_SECRET = "ipmarket-local-development-key-not-for-production"  # noqa: S105


class ServiceSettings(BaseSettings):
    """Base settings; subclasses set ``model_config = SettingsConfigDict(env_prefix=...)``."""

    model_config = SettingsConfigDict(env_prefix="IPMARKET_", extra="ignore")

    service_name: str = "ipmarket"
    environment: str = Field(default="local", description="local | test | production")

    http_host: str = "127.0.0.1"
    http_port: int = 8000
    public_base_url: str = Field(
        default="https://ipmarket.example.cn",
        description="Base of the stable problem `type` URIs and of links in events.",
    )

    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/ipmarket"
    migrations_dir: str | None = Field(
        default=None,
        description="Where this service's Alembic migrations are; defaults to the source tree "
        "(services/<name>/migrations). Container images copy them and set this.",
    )
    database_pool_size: int = 10

    kafka_bootstrap_servers: str = "127.0.0.1:9092"
    # On for Apache Kafka. Tansu (local runs and tests) cannot do it with aiokafka.
    kafka_enable_idempotence: bool = False
    kafka_consumer_group: str | None = Field(
        default=None,
        description="Replaces ipmarket-<service> in the service's consumer groups "
        "(ipmarket-listing-timeline becomes <override>-timeline); tests and side-by-side "
        "deployments on one cluster use it to stay apart.",
    )
    kafka_topic_partitions: int = 6
    kafka_replication_factor: int = 1
    kafka_session_timeout_ms: int = 10_000
    kafka_heartbeat_interval_ms: int = 3_000
    # Tansu answers a waiting fetch only when the wait ends, so a long wait is latency there;
    # Apache Kafka answers as soon as records arrive (docker-compose and k8s set 500).
    kafka_fetch_max_wait_ms: int = 10
    kafka_request_timeout_ms: int = 15_000

    auth_jwt_key: SecretStr = SecretStr(DEV_JWT_SECRET)
    auth_jwt_algorithm: str = "HS256"
    auth_issuer: str = "ipmarket-local"
    auth_audience: str = "ipmarket"

    outbox_poll_interval_ms: int = 200
    outbox_batch_size: int = 500
    outbox_retention_hours: int = Field(
        default=24 * 7,
        description="How long published outbox rows are kept. After the broker lost its "
        "history (a new Kafka cluster id) the relay re-sends the rows it keeps, so this is "
        "how far back a restart of a memory-only broker is repaired. At most "
        "inbox_retention_hours, so every re-sent event is still in its consumers' inboxes.",
    )
    inbox_retention_hours: int = Field(
        default=24 * 7,
        description="How long handled event ids are kept (the duplicate filter of the "
        "consumers). At least outbox_retention_hours of every service whose events this "
        "service consumes; all services share the defaults.",
    )
    idempotency_retention_hours: int = 24
    housekeeping_interval_s: int = 600

    consumer_max_attempts: int = 3
    consumer_retry_backoff_ms: int = 200
    shutdown_timeout_s: float = 10.0

    log_level: str = "INFO"
    log_json: bool = True

    clock_file: str | None = Field(
        default=None,
        description="Test environments only: the file a controllable clock reads its shift "
        "from (shared.clock.ControllableClock), so that a test can move time inside the "
        "service. Refused in any environment but `test`.",
    )

    @model_validator(mode="after")
    def _controllable_clock_only_in_tests(self) -> Self:
        if self.clock_file and self.environment != "test":
            raise ValueError(
                f"clock_file is set but environment is {self.environment!r}: a controllable "
                "clock moves the time every rule reads, so only the `test` environment may "
                "turn it on"
            )
        return self

    @model_validator(mode="after")
    def _outbox_kept_no_longer_than_inbox(self) -> Self:
        # A re-sent event older than its consumers' duplicate filter would be applied twice.
        if self.outbox_retention_hours > self.inbox_retention_hours:
            raise ValueError(
                f"outbox_retention_hours ({self.outbox_retention_hours}) must not exceed "
                f"inbox_retention_hours ({self.inbox_retention_hours}): the relay re-sends "
                "retained outbox rows after a broker lost its history, and consumers drop "
                "them as duplicates only while their inbox still holds them"
            )
        return self
