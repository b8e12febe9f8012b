"""The inventory upload's writes, through the batch's asyncpg connection (COPY).

A write path that bypasses the ORM on purpose, like ``listing/bulk``: an INSERT per row
through SQLAlchemy would be many times slower for 100,000 rows. Everything happens in the
batch's transaction (the upload runner's): new patents, their holdings and inventory rows
are COPYed; the inventory records of catalogued patents are upserted from a staging table
(their tier, evaluations and override are kept); catalogued patents' public inventory
facts are updated from another; and every event goes to the outbox.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import asyncpg

from listing.bulk.repository import PATENT_COLUMNS, SOURCE
from listing.coverage.mapping import HOLDING_COLUMNS
from listing.inventory.mapping import INVENTORY_COLUMNS
from listing.models import PatentRecord
from shared.db.outbox_rows import OUTBOX_COLUMNS, outbox_row
from shared.db.uow import OUTBOX_CHANNEL
from shared.events import topics

# A catalogued patent's inventory record takes the facts a row carries; its tier (computed
# and overridden), the tier's reasons and ``evaluated`` stay as they are.
_UPSERT_INVENTORY = """
INSERT INTO inventory_records SELECT * FROM upload_inventory
ON CONFLICT (application_number) DO UPDATE SET
    institution_uscc = excluded.institution_uscc,
    institution_name = excluded.institution_name,
    inventors = excluded.inventors,
    willingness = excluded.willingness,
    intended_modes = excluded.intended_modes,
    portfolios = excluded.portfolios,
    state_funding_project = excluded.state_funding_project,
    notes = excluded.notes,
    recorded_by_org_id = excluded.recorded_by_org_id,
    updated_at = excluded.updated_at
"""


@dataclass(frozen=True)
class PatentFacts:
    """A catalogued patent's public inventory facts and the search columns they feed."""

    application_number: str
    willingness: str | None
    intended_modes: list[str]
    search_keys: list[str]
    facet_keys: list[str]


_FACT_COLUMNS = ("application_number", "willingness", "intended_modes", "search_keys", "facet_keys")


class InventoryCopy:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn

    async def lock_patents(self, numbers: list[str]) -> dict[str, PatentRecord]:
        """The catalogued ones among ``numbers``, their rows locked (in key order, so two
        uploads or an upload and a use case never wait on each other in a circle)."""
        if not numbers:
            return {}
        columns = ", ".join(f"{c}::text AS {c}" if c == "patentees" else c for c in PATENT_COLUMNS)
        rows = await self.conn.fetch(
            f"SELECT {columns} FROM patents WHERE application_number = ANY($1::text[])"  # noqa: S608 - the table's own column names
            " ORDER BY application_number FOR UPDATE",
            sorted(set(numbers)),
        )
        found = {}
        for row in rows:
            values = dict(row)
            values["patentees"] = json.loads(values["patentees"])
            found[row["application_number"]] = PatentRecord(**values)
        return found

    async def write(
        self,
        *,
        patents: list[tuple[Any, ...]],
        holdings: list[tuple[Any, ...]],
        new_inventory: list[tuple[Any, ...]],
        updated_inventory: list[tuple[Any, ...]],
        facts: list[PatentFacts],
        events: list[tuple[str, str, str]],
        actor: str,
        now: datetime,
    ) -> None:
        copy = self.conn.copy_records_to_table
        if patents:
            await copy("patents", records=patents, columns=PATENT_COLUMNS)
        if holdings:
            await copy("institution_holdings", records=holdings, columns=HOLDING_COLUMNS)
        if new_inventory:
            await copy("inventory_records", records=new_inventory, columns=INVENTORY_COLUMNS)
        if updated_inventory:
            await self._upsert_inventory(updated_inventory)
        if facts:
            await self._update_facts(facts, now)
        if events:
            rows = [
                outbox_row(
                    str(uuid.uuid4()),
                    topics.LISTING,
                    number,
                    event_type,
                    SOURCE,
                    number,
                    now,
                    None,
                    actor,
                    None,
                    payload,
                )
                for number, event_type, payload in events
            ]
            await copy("outbox", records=rows, columns=OUTBOX_COLUMNS)
            await self.conn.execute(f"NOTIFY {OUTBOX_CHANNEL}")

    async def _upsert_inventory(self, rows: list[tuple[Any, ...]]) -> None:
        await self._staging("upload_inventory", "inventory_records")
        await self.conn.copy_records_to_table(
            "upload_inventory", records=rows, columns=INVENTORY_COLUMNS
        )
        await self.conn.execute(_UPSERT_INVENTORY)

    async def _update_facts(self, facts: list[PatentFacts], now: datetime) -> None:
        await self.conn.execute(
            "CREATE TEMP TABLE IF NOT EXISTS upload_patent_facts (application_number"
            " varchar PRIMARY KEY, willingness varchar, intended_modes varchar[],"
            " search_keys varchar[], facet_keys varchar[]) ON COMMIT DELETE ROWS"
        )
        await self.conn.execute("TRUNCATE upload_patent_facts")
        await self.conn.copy_records_to_table(
            "upload_patent_facts",
            records=[tuple(getattr(f, c) for c in _FACT_COLUMNS) for f in facts],
            columns=_FACT_COLUMNS,
        )
        await self.conn.execute(
            "UPDATE patents p SET willingness = f.willingness, intended_modes ="
            " f.intended_modes, search_keys = f.search_keys, facet_keys = f.facet_keys,"
            " updated_at = $1"
            " FROM upload_patent_facts f WHERE p.application_number = f.application_number",
            now,
        )

    async def _staging(self, name: str, like: str) -> None:
        """An empty temporary table shaped like ``like`` (kept by the connection, emptied
        at commit: an atomic upload writes every batch in one transaction)."""
        await self.conn.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {name} (LIKE {like} INCLUDING DEFAULTS)"
            " ON COMMIT DELETE ROWS"
        )
        await self.conn.execute(f"TRUNCATE {name}")
