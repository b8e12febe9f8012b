"""The ipmarket services, and the simulators of the outside offices they call, as the local
run and the end-to-end tests start them."""

from __future__ import annotations

import json
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
    ServiceDefinition("statistics", "ip_statistics", "STATISTICS_", "statistics", 8007),
)


@dataclass(frozen=True)
class SimulatorDefinition:
    """A local stand-in for an outside office (``simulators/``), started before the services."""

    name: str
    module: str  # python -m <module>
    default_port: int
    url_setting: str  # the registry-sync setting that points its adapter at the office


SIMULATORS = (
    SimulatorDefinition(
        "tech-contract-office", "simulators.tech_contract_office", 8011, "TECH_CONTRACT_OFFICE_URL"
    ),
    SimulatorDefinition("patent-office", "simulators.patent_office", 8012, "PATENT_OFFICE_URL"),
)


def simulator_process(
    definition: SimulatorDefinition,
    *,
    port: int,
    log_dir: Path,
    extra_env: dict[str, str] | None = None,
    label: str | None = None,
) -> ServiceProcess:
    """A simulator's process; ``extra_env`` holds ``SIM_*`` settings (clock file, faults)."""
    name = label or definition.name
    env = {"SIM_HTTP_HOST": "127.0.0.1", "SIM_HTTP_PORT": str(port), **(extra_env or {})}
    return ServiceProcess(
        name=name,
        module=definition.module,
        env=env,
        port=port,
        log_path=log_dir / f"{name}.log",
    )


# On one machine the patent office's simulator answers at once: registry-sync asks it
# often, so a recordal or a feed entry shows within seconds.
PATENT_OFFICE_LOCAL = {
    "RECORDAL_INTERVAL_S": "1",
    "RECORDAL_POLL_INTERVAL": "PT1S",
    "RECORDAL_RETRY_FIRST": "PT1S",
    "LEGAL_STATUS_INTERVAL_S": "1",
    "PATENT_OFFICE_TIMEOUT_S": "5",
}


def local_settings(definition: ServiceDefinition, urls: dict[str, str]) -> dict[str, str]:
    """Settings a service needs on one machine: registry-sync calls the office simulators
    where they run, webhooks may deliver to loopback receivers over plain http and calls
    listing where it runs (each started before it), the statistics console calls every
    service where it runs (the local run names the statistics service itself in ``urls``
    too; its default port otherwise)."""
    if definition.name == "registry-sync":
        return {
            **{s.url_setting: urls[s.name] for s in SIMULATORS if s.name in urls},
            **PATENT_OFFICE_LOCAL,
        }
    if definition.name == "statistics":
        # The console calls each service where it runs (each started before it).
        known = {d.name: urls[d.name] for d in SERVICES if d.name in urls}
        itself = {"statistics": f"http://127.0.0.1:{definition.default_port}"}
        return {"CONSOLE_SERVICE_URLS": json.dumps({**itself, **known})}
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
