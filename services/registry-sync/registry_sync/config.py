"""Registry-sync settings: environment variables prefixed ``REGISTRY_SYNC_``."""

from datetime import timedelta

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from registry_sync.adapters.credentials import OfficeCredentials
from shared.settings import ServiceSettings


class RegistrySyncSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="REGISTRY_SYNC_", extra="ignore")

    service_name: str = "registry-sync"
    http_port: int = 8004
    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/registry_sync"

    # The outside offices (docs/registry.md). The local run and the tests point these at the
    # simulators; a deployment points them at the real offices.
    tech_contract_office_url: str = "http://127.0.0.1:8011"
    patent_office_url: str = "http://127.0.0.1:8012"
    # How registry-sync identifies itself to each office, when the office asks: a bearer
    # token it issued, and for mutual TLS one PEM file with the client certificate and key
    # (shared by both adapters), and the CA bundle of an office's private certificate.
    tech_contract_office_token: SecretStr | None = None
    patent_office_token: SecretStr | None = None
    office_client_cert: str | None = None
    office_ca_bundle: str | None = None

    # Calls to the technology-contract registration office: each call retries transport
    # errors and 5xx a few times with jittered exponential backoff; the circuit opens after
    # consecutive failed calls.
    tech_office_connect_timeout_s: float = Field(default=5.0, gt=0)
    tech_office_read_timeout_s: float = Field(default=20.0, gt=0)
    tech_office_retries: int = Field(default=2, ge=0)
    tech_office_retry_backoff_s: float = Field(default=0.5, ge=0)
    tech_office_circuit_failures: int = Field(default=5, ge=1)
    tech_office_circuit_cooldown_s: float = Field(default=60.0, gt=0)

    # The registration workers: submit what is ready, poll what is submitted.
    registration_submit_interval_s: float = Field(default=30.0, gt=0)
    registration_poll_interval_s: float = Field(default=300.0, gt=0)
    registration_batch_size: int = Field(default=50, ge=1)
    # How long a claimed registration is left to the worker that claimed it.
    registration_lease_s: float = Field(default=120.0, gt=0)
    # A submission the office did not take waits this long, doubled per attempt.
    registration_retry_base_s: float = Field(default=60.0, gt=0)

    # The patent office's adapter and its workers (docs/registry.md).
    patent_office_timeout_s: float = Field(default=10.0, gt=0)
    patent_office_attempts: int = Field(default=3, ge=1)
    patent_office_backoff_s: float = Field(default=0.5, ge=0)
    recordal_interval_s: float = Field(default=30.0, gt=0)
    recordal_batch_size: int = Field(default=50, ge=1)
    recordal_retry_first: timedelta = timedelta(seconds=30)
    recordal_poll_interval: timedelta = timedelta(hours=1)
    legal_status_interval_s: float = Field(default=300.0, gt=0)
    legal_status_batch_size: int = Field(default=200, ge=1)
    # How often the reconciliation worker looks for the day's run and the operator's runs
    # (an operator's request wakes it at once).
    reconciliation_interval_s: float = Field(default=300.0, gt=0)

    def tech_contract_office_credentials(self) -> OfficeCredentials:
        return OfficeCredentials(
            self.tech_contract_office_token, self.office_client_cert, self.office_ca_bundle
        )

    def patent_office_credentials(self) -> OfficeCredentials:
        return OfficeCredentials(
            self.patent_office_token, self.office_client_cert, self.office_ca_bundle
        )
