"""Webhooks settings: environment variables prefixed ``WEBHOOKS_``."""

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings
from webhooks.domain.pacing import MAX_RATE_PER_S, MIN_RATE_PER_S
from webhooks.domain.retry import DEFAULT_SCHEDULE_S


class WebhooksSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="WEBHOOKS_", extra="ignore")

    service_name: str = "webhooks"
    http_port: int = 8005
    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/webhooks"
    secret_encryption_keys: list[SecretStr] = Field(
        # Development only. Production sets its own Fernet keys (32 url-safe base64 bytes),
        # newest first; older keys still decrypt secrets stored before a key rotation.
        default=[SecretStr("aXBtYXJrZXQtZGV2ZWxvcG1lbnQtb25seS1rZXktMzI=")],
        description="Keys that encrypt endpoint and platform secrets at rest.",
    )

    # Where endpoints may be: production requires https and public addresses.
    require_https: bool = True
    allowed_networks: list[str] = Field(
        default_factory=list,
        description="CIDR blocks exempt from the public-address rule (e.g. 127.0.0.0/8 locally).",
    )

    # Delivery.
    retry_schedule_s: list[float] = Field(default_factory=lambda: list(DEFAULT_SCHEDULE_S))
    retry_jitter: float = Field(default=0.2, ge=0, lt=1)
    request_timeout_s: float = Field(default=10.0, gt=0)
    delivery_poll_interval_s: float = Field(
        default=1.0,
        gt=0,
        description="The fallback poll: new deliveries wake the dispatcher (LISTEN/NOTIFY).",
    )
    listen_check_s: float = Field(
        default=5.0, gt=0, description="How often the dispatcher's LISTEN connection is checked."
    )
    endpoint_concurrency: int = Field(default=4, ge=1, description="In flight per endpoint.")
    delivery_batch_size: int = Field(
        default=64,
        ge=1,
        description="Deliveries taken at once for an endpoint that answers (its attempts "
        "recorded together); no more than five seconds of its rate limit.",
    )
    max_active_endpoints: int = Field(default=64, ge=1)
    default_rate_limit_per_s: float = Field(
        default=20.0,
        ge=MIN_RATE_PER_S,
        le=MAX_RATE_PER_S,
        description="For endpoints without a rate limit of their own.",
    )
    endpoint_lease_s: float = Field(default=60.0, gt=0)
    circuit_failure_threshold: int = Field(default=5, ge=1)
    circuit_cooldown_s: float = Field(default=30.0, gt=0)
    circuit_max_cooldown_s: float = Field(default=3600.0, gt=0)
    disable_after_s: float = Field(default=5 * 86400.0, gt=0)
    secret_rotation_overlap_s: float = Field(default=86400.0, ge=0)
    stall_after_s: float = Field(
        default=300.0,
        gt=0,
        description=(
            "An endpoint with a delivery ready to send and no attempt for longer than this "
            "is stalled (docs/webhooks.md). Keep it above endpoint_concurrency divided by the "
            "lowest rate limit, plus request_timeout_s."
        ),
    )
    stall_check_interval_s: float = Field(
        default=15.0, gt=0, description="How often each instance updates the stall metrics."
    )

    # Inbound publishing.
    inbound_tolerance_s: int = Field(default=300, gt=0)
    listing_base_url: str = "http://127.0.0.1:8001"
