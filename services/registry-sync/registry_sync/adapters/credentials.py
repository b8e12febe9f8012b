"""How registry-sync identifies itself to an office: what a real office will ask for and
the simulators do not check (docs/registry.md, "Pointing the adapters at the real offices").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import SecretStr


@dataclass(frozen=True)
class OfficeCredentials:
    """A bearer token the office issued, a client certificate for mutual TLS (one PEM file
    with the certificate and its key), and the CA bundle that signs the office's own
    certificate when it is not a public one; each optional."""

    token: SecretStr | None = None
    client_cert: str | None = None
    ca_bundle: str | None = None
    headers: dict[str, str] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        if self.token is not None:
            self.headers["Authorization"] = f"Bearer {self.token.get_secret_value()}"

    def client_options(self) -> dict[str, Any]:
        """Keyword arguments for ``httpx.AsyncClient``."""
        options: dict[str, Any] = {"headers": self.headers}
        if self.client_cert is not None:
            options["cert"] = self.client_cert
        if self.ca_bundle is not None:
            options["verify"] = self.ca_bundle
        return options
