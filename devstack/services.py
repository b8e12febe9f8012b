"""The five ipmarket services as the local run and the end-to-end tests start them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from devstack.processes import ServiceProcess


@dataclass(frozen=True)
class ServiceDefinition:
    name: str  # as in services/<name>
    module: str  # python -m <module>
    prefix: str  # settings env prefix
    database: str
    default_port: int

    def env(
        self, *, database_url: str, bootstrap: str, port: int, extra: dict[str, str] | None = None
    ) -> dict[str, str]:
        values = {
            "DATABASE_URL": database_url,
            "KAFKA_BOOTSTRAP_SERVERS": bootstrap,
            "KAFKA_ENABLE_IDEMPOTENCE": "false",  # Tansu cannot do it with aiokafka
            "KAFKA_SESSION_TIMEOUT_MS": "6000",
            "KAFKA_HEARTBEAT_INTERVAL_MS": "1000",
            "KAFKA_TOPIC_PARTITIONS": "6",
            "HTTP_HOST": "127.0.0.1",
            "HTTP_PORT": str(port),
            "OUTBOX_POLL_INTERVAL_MS": "100",
            **(extra or {}),
        }
        return {f"{self.prefix}{k}": v for k, v in values.items()}


SERVICES = (
    ServiceDefinition("listing", "listing", "LISTING_", "listing", 8001),
    ServiceDefinition("license", "license", "LICENSE_", "license", 8002),
    ServiceDefinition("pledge", "pledge", "PLEDGE_", "pledge", 8003),
    ServiceDefinition("registry-sync", "registry_sync", "REGISTRY_SYNC_", "registry_sync", 8004),
    ServiceDefinition("webhooks", "webhooks", "WEBHOOKS_", "webhooks", 8005),
    ServiceDefinition("matching", "matching", "MATCHING_", "matching", 8006),
)


def local_settings(definition: ServiceDefinition, urls: dict[str, str]) -> dict[str, str]:
    """Settings a service needs on one machine: webhooks may deliver to loopback
    receivers over plain http, and calls listing where it runs (started before it)."""
    if definition.name != "webhooks":
        return {}
    return {
        "REQUIRE_HTTPS": "false",
        "ALLOWED_NETWORKS": '["127.0.0.0/8", "::1/128"]',
        "LISTING_BASE_URL": urls["listing"],
    }


def service_process(
    definition: ServiceDefinition,
    *,
    database_url: str,
    bootstrap: str,
    port: int,
    log_dir: Path,
    extra_env: dict[str, str] | None = None,
    label: str | None = None,
) -> ServiceProcess:
    """A process of ``definition``; ``label`` names a second instance (``listing-2``)."""
    name = label or definition.name
    return ServiceProcess(
        name=name,
        module=definition.module,
        env=definition.env(
            database_url=database_url, bootstrap=bootstrap, port=port, extra=extra_env
        ),
        port=port,
        log_path=log_dir / f"{name}.log",
    )
