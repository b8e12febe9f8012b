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
from dataclasses import dataclass
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
from listing.uploads.rows import SPEC, Institution, InventoryRow, RowRefused, check_row
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


@dataclass(frozen=True)
class _Written:
    """What one row writes: its inventory row and events, and either a new patent (its
    row and holdings) or a catalogued patent's new public facts."""

    inventory: tuple[Any, ...]
    # (application number, event type, payload as JSON text)
    events: tuple[tuple[str, str, str], ...]
    patent: tuple[Any, ...] | None = None
    holdings: tuple[tuple[Any, ...], ...] = ()
    facts: PatentFacts | None = None


@dataclass(frozen=True)
class CheckedBatch:
    """A batch checked without the database: the rows that read well, those refused, and
    what each would write as a new patent (or why it cannot be one), used when its
    patent turns out not to be catalogued."""

    rows: list[InventoryRow]
    refused: list[RowError]
    as_new: dict[int, _Written | RowRefused]


class InventoryUploads:
    """``shared.uploads.RowHandler`` of the ``inventory`` upload kind."""

    spec = SPEC

    def check(self, rows: list[RawRow], job: UploadJob, now: datetime) -> CheckedBatch:
        institution = institution_of(job)
        good: list[InventoryRow] = []
        refused: list[RowError] = []
        as_new: dict[int, _Written | RowRefused] = {}
        for raw in rows:
            row = check_row(raw, institution)
            if isinstance(row, RowError):
                refused.append(row)
                continue
            good.append(row)
            try:
                as_new[row.number] = _registered(row, institution, job.uploaded_by, now)
            except RowRefused as why:
                as_new[row.number] = why
        return CheckedBatch(good, refused, as_new)

    async def handle(
        self, checked: CheckedBatch, job: UploadJob, conn: asyncpg.Connection, clock: Clock
    ) -> list[RowError]:
        store, now = InventoryCopy(conn), clock.now()
        catalogued = await store.lock_patents([row.application_number for row in checked.rows])
        present = [row for row in checked.rows if row.application_number in catalogued]
        updated = (
            await asyncio.to_thread(
                _updated, present, catalogued, institution_of(job), job.uploaded_by, now
            )
            if present
            else {}
        )
        refused, written = list(checked.refused), []
        for row in checked.rows:
            outcome = updated.get(row.number) or checked.as_new[row.number]
            if isinstance(outcome, RowRefused):
                refused.append(RowError(row.number, outcome.field, outcome.reason))
            else:
                written.append(outcome)
        await store.write(
            patents=[w.patent for w in written if w.patent is not None],
            holdings=[h for w in written for h in w.holdings],
            new_inventory=[w.inventory for w in written if w.facts is None],
            updated_inventory=[w.inventory for w in written if w.facts is not None],
            facts=[w.facts for w in written if w.facts is not None],
            events=[e for w in written for e in w.events],
            actor=job.uploaded_by,
            now=now,
        )
        return refused


def _updated(
    rows: list[InventoryRow],
    catalogued: dict[str, PatentRecord],
    institution: Institution,
    by: str,
    now: datetime,
) -> dict[int, _Written | RowRefused]:
    out: dict[int, _Written | RowRefused] = {}
    for row in rows:
        try:
            out[row.number] = _update(row, catalogued[row.application_number], institution, by, now)
        except RowRefused as why:
            out[row.number] = why
    return out


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
        raise RowRefused(
            "application_number",
            f"patent {patent.application_number} is held by {owners}, not by "
            f"{institution.name} ({institution.uscc}): an institution inventories its own "
            "patents",
        )
    return holder.name


def _registered(row: InventoryRow, institution: Institution, by: str, now: datetime) -> _Written:
    if row.registration is None:
        raise RowRefused(
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
        raise RowRefused("title", str(exc)) from None
    return _Written(
        _inventory_row(record),
        (
            (row.application_number, PatentRegistered.event_type, registered),
            _recorded(record, patent),
        ),
        patent=patent_row,
        holdings=tuple(holdings),
    )


def _update(
    row: InventoryRow, found: PatentRecord, institution: Institution, by: str, now: datetime
) -> _Written:
    patent = mapping.to_patent(found)
    record = _record(row, institution, _holder_name(patent, institution), by, now)
    patent.show_inventory(record.willingness, record.intended_modes, patent.tier)
    mapping.update_patent_record(found, patent)
    facts = PatentFacts(
        found.application_number,
        found.willingness,
        list(found.intended_modes),
        list(found.search_keys),
        list(found.facet_keys),
    )
    return _Written(_inventory_row(record), (_recorded(record, patent),), facts=facts)


def _recorded(record: InventoryRecord, patent: Patent) -> tuple[str, str, str]:
    event = inventory_mapping.inventory_recorded(record, patent)
    return record.application_number, event.event_type, event.model_dump_json()


def _inventory_row(record: InventoryRecord) -> tuple[Any, ...]:
    values = inventory_mapping.inventory_values(record)
    for name in ("inventors", "reasons"):  # jsonb, given as JSON text
        values[name] = json.dumps(values[name], ensure_ascii=False)
    return tuple(values[c] for c in inventory_mapping.INVENTORY_COLUMNS)
