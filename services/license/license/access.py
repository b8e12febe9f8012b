"""Which licences a caller may know exist.

A licence is its parties' business: its licensee, its licensors and the operator see it.
Anyone else asking for one, or acting on one, gets the 404 an id that does not exist
gets, word for word, so licence ids cannot be probed. A caller who sees the licence but
may not do what it asks (a licensor reporting royalties) gets its 403 from the use case.
"""

from __future__ import annotations

from license import mapping
from license.domain.license import PatentLicense
from license.models import LicenseRecord
from license.repository import LicenseRepository
from shared.auth import Principal


async def visible_license(
    repo: LicenseRepository, principal: Principal, license_id: str, *, for_update: bool = False
) -> tuple[LicenseRecord, PatentLicense]:
    """The licence's record and domain object, if ``principal`` may know it exists."""
    record = await repo.get_license(license_id, for_update=for_update)
    if record is None:
        raise mapping.license_not_found(license_id)
    licence = mapping.license_from_record(record)
    if not licence.may_be_seen_by(mapping.viewer(principal)):
        raise mapping.license_not_found(license_id)
    return record, licence
