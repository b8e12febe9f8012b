"""A recordal's request as stored (JSON) <-> the office's request types."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from registry_sync.domain.patent_office import (
    LicenseFilingRequest,
    OfficeParty,
    TransferRegistrationRequest,
)


def _party_json(party: OfficeParty) -> dict[str, Any]:
    share = None if party.share is None else str(party.share)
    return {"name": party.name, "uscc": party.uscc, "share": share}


def _party(raw: dict[str, Any]) -> OfficeParty:
    share = raw.get("share")
    return OfficeParty(raw["name"], raw.get("uscc"), None if share is None else Decimal(share))


def license_filing_json(request: LicenseFilingRequest) -> dict[str, Any]:
    value = request.contract_value
    return {
        "application_number": request.application_number,
        "patent_number": request.patent_number,
        "licensors": [_party_json(p) for p in request.licensors],
        "licensee": _party_json(request.licensee),
        "kind": request.kind,
        "effective_date": request.effective_date.isoformat(),
        "term_end": request.term_end.isoformat(),
        "contract_value": None if value is None else str(value),
    }


def license_filing(raw: dict[str, Any]) -> LicenseFilingRequest:
    value = raw.get("contract_value")
    return LicenseFilingRequest(
        application_number=raw["application_number"],
        patent_number=raw["patent_number"],
        licensors=tuple(_party(p) for p in raw["licensors"]),
        licensee=_party(raw["licensee"]),
        kind=raw["kind"],
        effective_date=date.fromisoformat(raw["effective_date"]),
        term_end=date.fromisoformat(raw["term_end"]),
        contract_value=None if value is None else Decimal(value),
    )


def transfer_registration_json(request: TransferRegistrationRequest) -> dict[str, Any]:
    return {
        "application_number": request.application_number,
        "patent_number": request.patent_number,
        "transferors": [_party_json(p) for p in request.transferors],
        "transferees": [_party_json(p) for p in request.transferees],
        "signed_on": request.signed_on.isoformat(),
        "contract_value": str(request.contract_value),
    }


def transfer_registration(raw: dict[str, Any]) -> TransferRegistrationRequest:
    return TransferRegistrationRequest(
        application_number=raw["application_number"],
        patent_number=raw["patent_number"],
        transferors=tuple(_party(p) for p in raw["transferors"]),
        transferees=tuple(_party(p) for p in raw["transferees"]),
        signed_on=date.fromisoformat(raw["signed_on"]),
        contract_value=Decimal(raw["contract_value"]),
    )
