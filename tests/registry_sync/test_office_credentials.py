"""What registry-sync sends an office to identify itself, from its settings."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from registry_sync.adapters.credentials import OfficeCredentials
from registry_sync.config import RegistrySyncSettings

pytestmark = pytest.mark.unit


def test_nothing_is_sent_unless_configured() -> None:
    assert OfficeCredentials().client_options() == {"headers": {}}


def test_each_office_gets_its_own_token_and_both_the_client_certificate() -> None:
    settings = RegistrySyncSettings(
        tech_contract_office_token=SecretStr("tc-token"),
        patent_office_token=SecretStr("po-token"),
        office_client_cert="/etc/ipmarket/office-client.pem",
        office_ca_bundle="/etc/ipmarket/office-ca.pem",
    )
    tech = settings.tech_contract_office_credentials().client_options()
    patent = settings.patent_office_credentials().client_options()
    assert tech["headers"] == {"Authorization": "Bearer tc-token"}
    assert patent["headers"] == {"Authorization": "Bearer po-token"}
    for options in (tech, patent):
        assert options["cert"] == "/etc/ipmarket/office-client.pem"
        assert options["verify"] == "/etc/ipmarket/office-ca.pem"
    assert "tc-token" not in repr(settings)  # a secret never reaches a log line
