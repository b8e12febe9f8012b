"""The inventory upload's row handler (``shared.uploads``): each batch of rows registers
the patents not yet catalogued and records every row's inventory, in the batch's
transaction, with their events.

The rules are those of the API, row by row:

- a row is checked like ``PUT /v1/patents/{n}/inventory``'s body and, when it carries
  catalogue facts, like ``POST /v1/patents``' body (``rows.check_row``);
- the institution (the uploader's token, or the one the operator named) must be a
  patentee of the patent: of the catalogued patent, or of the new patent the row
  registers; a row about someone else's patent is refused;
- a row for a catalogued patent updates its inventory record and never its catalogue
  facts; its tier, evaluations and override stay as they are;
- a row for a patent not in the catalogue must carry its catalogue facts, and registers it
  (``PatentRegistered``) with its holdings.

Each recorded row publishes ``InventoryRecorded`` (no inventors, no notes). The rows are
checked in a worker thread, off the event loop that serves the API.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import asyncpg

from listing import mapping
from listing.bulk.service import entry_of
from listing.catalogue.service import patent_from
from listing.domain.errors import UploadInstitutionUnknown, UploadNotYours
from listing.domain.inventory import Inventor, InventoryRecord
from listing.domain.patent import PartyType, Patent
from listing.inventory import mapping as inventory_mapping
from listing.models import PatentRecord
from listing.uploads.repository import InventoryCopy, PatentFacts
from listing.uploads.rows import SPEC, Institution, InventoryRow, check_row
from shared.auth import OrgType, Principal
from shared.clock import Clock
from shared.events.schemas import PatentRegistered
from shared.uploads import RawRow, RowError, UploadJob


def institution_options(institution: Institution) -> dict[str, str]:
    """How a job remembers whom it inventories for (``UploadJob.options``)."""
    return {
        "institution_uscc": institution.uscc,
        "institution_name": institution.name,
        "institution_type": institution.party_type.value,
    }


async def institution_for(
    principal: Principal,
    on_behalf_of: str | None,
    lookup: Callable[[str], Awaitable[list[Institution]]],
) -> Institution:
    """Whom an upload inventories for: the uploading institution itself, or, for the
    operator, the institution it names by USCC or exact name, which must hold patents in
    the catalogue and be the only one of that name."""
    if principal.org_type is not OrgType.OPERATOR:
        if on_behalf_of is not None:
            raise UploadNotYours("on_behalf_of: only the operator uploads for another")
        if principal.uscc is None:
            raise UploadInstitutionUnknown(
                "an institution uploads its inventory with a token that carries its USCC"
            )
        return Institution(principal.uscc, principal.org_name, PartyType(principal.org_type))
    if on_behalf_of is None:
        raise UploadInstitutionUnknown(
            "on_behalf_of: the operator names the institution it uploads for (USCC or name)"
        )
    found = await lookup(on_behalf_of)
    if not found:
        raise UploadInstitutionUnknown(
            f"on_behalf_of: no institution named {on_behalf_of!r} holds a patent in the catalogue"
        )
    if len(found) > 1:
        named = "; ".join(f"{i.name} ({i.uscc})" for i in found)
        raise UploadInstitutionUnknown(
            f"on_behalf_of: {on_behalf_of!r} is ambiguous ({named}): name it by its USCC"
        )
    return found[0]


def may_read(principal: Principal, uploaded_by: str, institution_uscc: str) -> bool:
    """An upload's job and row errors: the organisation that sent it, the institution it
    is for, the operator and regulators."""
    return (
        principal.org_type in (OrgType.OPERATOR, OrgType.REGULATOR)
        or principal.org_id == uploaded_by
        or (principal.uscc is not None and principal.uscc == institution_uscc)
    )


def institution_of(job: UploadJob) -> Institution:
    options = job.options
    return Institution(
        options["institution_uscc"],
        options["institution_name"],
        PartyType(options["institution_type"]),
    )


@dataclass
class _Batch:
    """What one batch writes: new patents (rows, holdings), inventory rows for new and for
    catalogued patents, the public facts of catalogued patents, events, refusals."""

    patents: list[tuple[Any, ...]] = field(default_factory=list)
    holdings: list[tuple[Any, ...]] = field(default_factory=list)
    new_inventory: list[tuple[Any, ...]] = field(default_factory=list)
    updated_inventory: list[tuple[Any, ...]] = field(default_factory=list)
    facts: list[PatentFacts] = field(default_factory=list)
    # (application number, event type, payload as JSON text)
    events: list[tuple[str, str, str]] = field(default_factory=list)
    refused: list[RowError] = field(default_factory=list)


class InventoryUploads:
    """``shared.uploads.RowHandler`` of the ``inventory`` upload kind."""

    spec = SPEC

    async def handle(
        self, rows: list[RawRow], job: UploadJob, conn: asyncpg.Connection, clock: Clock
    ) -> list[RowError]:
        institution = institution_of(job)
        checked = await asyncio.to_thread(_check_all, rows, institution)
        good = [c for c in checked if isinstance(c, InventoryRow)]
        store = InventoryCopy(conn)
        catalogued = await store.lock_patents([row.application_number for row in good])
        batch = await asyncio.to_thread(
            _plan, good, catalogued, institution, job.uploaded_by, clock.now()
        )
        await store.write(
            patents=batch.patents,
            holdings=batch.holdings,
            new_inventory=batch.new_inventory,
            updated_inventory=batch.updated_inventory,
            facts=batch.facts,
            events=batch.events,
            actor=job.uploaded_by,
            now=clock.now(),
        )
        return [c for c in checked if isinstance(c, RowError)] + batch.refused


def _check_all(rows: list[RawRow], institution: Institution) -> list[InventoryRow | RowError]:
    return [check_row(row, institution) for row in rows]


def _plan(
    rows: list[InventoryRow],
    catalogued: dict[str, PatentRecord],
    institution: Institution,
    uploaded_by: str,
    now: datetime,
) -> _Batch:
    batch = _Batch()
    for row in rows:
        found = catalogued.get(row.application_number)
        try:
            if found is None:
                _register(batch, row, institution, uploaded_by, now)
            else:
                _update(batch, row, found, institution, uploaded_by, now)
        except _Refused as refused:
            batch.refused.append(RowError(row.number, refused.field, str(refused)))
    return batch


class _Refused(ValueError):
    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field


def _record(
    row: InventoryRow, institution: Institution, holder_name: str, by: str, now: datetime
) -> InventoryRecord:
    given = row.inventory
    return InventoryRecord(
        application_number=row.application_number,
        institution_uscc=institution.uscc,
        institution_name=holder_name,
        willingness=given.willingness,
        recorded_by_org_id=by,
        created_at=now,
        updated_at=now,
        inventors=[Inventor(i.name, i.contact) for i in given.inventors],
        intended_modes=list(dict.fromkeys(given.intended_modes)),
        portfolios=list(dict.fromkeys(given.portfolios)),
        state_funding_project=given.state_funding_project,
        notes=given.notes,
    )


def _holder_name(patent: Patent, institution: Institution) -> str:
    """The institution's name as the patent names it; refused when it is no patentee."""
    holder = next((p for p in patent.patentees if p.uscc == institution.uscc), None)
    if holder is None:
        owners = "、".join(p.name for p in patent.patentees)
        raise _Refused(
            "application_number",
            f"patent {patent.application_number} is held by {owners}, not by "
            f"{institution.name} ({institution.uscc}): an institution inventories its own "
            "patents",
        )
    return holder.name


def _register(
    batch: _Batch, row: InventoryRow, institution: Institution, by: str, now: datetime
) -> None:
    if row.registration is None:
        raise _Refused(
            "title",
            f"patent {row.application_number} is not in the catalogue: its row must carry "
            "its catalogue facts (title, filing_date, grant_date, ipc_codes, region_code; "
            "patentees unless the institution holds it alone)",
        )
    patent = patent_from(row.registration.to_command())
    record = _record(row, institution, _holder_name(patent, institution), by, now)
    patent.show_inventory(record.willingness, record.intended_modes, None)
    try:
        patent_row, registered, holdings = entry_of(patent, by, now)
    except ValueError as exc:
        raise _Refused("title", str(exc)) from None
    batch.patents.append(patent_row)
    batch.holdings.extend(holdings)
    batch.new_inventory.append(_inventory_row(record))
    batch.events.append((row.application_number, PatentRegistered.event_type, registered))
    _recorded(batch, record, patent)


def _update(
    batch: _Batch,
    row: InventoryRow,
    found: PatentRecord,
    institution: Institution,
    by: str,
    now: datetime,
) -> None:
    patent = mapping.to_patent(found)
    record = _record(row, institution, _holder_name(patent, institution), by, now)
    patent.show_inventory(record.willingness, record.intended_modes, patent.tier)
    mapping.update_patent_record(found, patent)
    batch.facts.append(
        PatentFacts(
            found.application_number,
            found.willingness,
            list(found.intended_modes),
            list(found.search_keys),
            list(found.facet_keys),
        )
    )
    batch.updated_inventory.append(_inventory_row(record))
    _recorded(batch, record, patent)


def _recorded(batch: _Batch, record: InventoryRecord, patent: Patent) -> None:
    event = inventory_mapping.inventory_recorded(record, patent)
    batch.events.append((record.application_number, event.event_type, event.model_dump_json()))


def _inventory_row(record: InventoryRecord) -> tuple[Any, ...]:
    values = inventory_mapping.inventory_values(record)
    for name in ("inventors", "reasons"):  # jsonb, given as JSON text
        values[name] = json.dumps(values[name], ensure_ascii=False)
    return tuple(values[c] for c in inventory_mapping.INVENTORY_COLUMNS)
