"""Reconciliation's queries. The run itself is set-based: PostgreSQL pairs every filing
with every registration and writes the mismatch rows and their outbox events with
``INSERT ... SELECT`` (the rules: ``domain/reconciliation.py``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, or_, select

from registry_sync.domain import reconciliation as rules
from registry_sync.domain.reconciliation import (
    Mismatch,
    MismatchReason,
    ReconciliationRun,
    RunStatus,
    RunTrigger,
)
from registry_sync.domain.registration import REGISTRATION_WINDOW
from registry_sync.reconciliation.mapping import to_mismatch, to_run, to_run_record
from registry_sync.reconciliation.models import (
    ReconciliationMismatchRecord,
    ReconciliationRunRecord,
)
from shared.db.outbox_rows import OUTBOX_COLUMNS
from shared.events.schemas import ReconciliationMismatchFound

MISMATCH_COLUMNS = (
    "reason, application_number, filing_type, filing_reference, filing_number, filed_on, "
    "started_on, filing_seller_uscc, filing_buyer_uscc, filing_license_kind, filing_value, "
    "registration_id, registration_number, registered_on, registration_seller_uscc, "
    "registration_buyer_uscc, registration_license_kind, registration_value"
)

# f: what the patent office holds; r: what the registration office registered. Both sides
# are read once; `matched` (same patent, type and parties) is materialised, and every
# other finding is an anti-join against it.
FIND_MISMATCHES = f"""
INSERT INTO reconciliation_mismatches (run_id, {MISMATCH_COLUMNS})
WITH f AS MATERIALIZED (
    SELECT source_reference AS ref, filing_type AS type, application_number AS app,
           seller_uscc AS seller, buyer_uscc AS buyer, license_kind AS kind,
           contract_value AS value, started_on, filing_number, filed_on
    FROM filings
    WHERE filed_on IS NOT NULL
), r AS MATERIALIZED (
    SELECT id, CASE contract_category WHEN 'license' THEN 'license' ELSE 'transfer' END AS type,
           application_number AS app, seller_uscc AS seller, buyer_uscc AS buyer,
           license_kind AS kind, COALESCE(certified_contract_value, contract_value) AS value,
           COALESCE(signed_on, effective_date) AS started_on, effective_date,
           registered_on, registration_number
    FROM tech_contract_registrations
    WHERE status = 'registered' AND registered_on IS NOT NULL
      AND contract_category = ANY(CAST(:categories AS text[]))
), matched AS MATERIALIZED (
    SELECT f.ref, r.id
    FROM f JOIN r ON r.app = f.app AND r.type = f.type
                 AND r.seller = f.seller AND r.buyer = f.buyer
), uf AS MATERIALIZED (
    SELECT f.* FROM f WHERE NOT EXISTS (SELECT FROM matched m WHERE m.ref = f.ref)
), ur AS MATERIALIZED (
    SELECT r.* FROM r WHERE NOT EXISTS (SELECT FROM matched m WHERE m.id = r.id)
), findings AS (
    SELECT x.reason, f.*, r.id AS r_id, r.registration_number, r.registered_on,
           r.seller AS r_seller, r.buyer AS r_buyer, r.kind AS r_kind, r.value AS r_value
    FROM matched m
    JOIN f ON f.ref = m.ref
    JOIN r ON r.id = m.id
    CROSS JOIN LATERAL (VALUES
        (CASE WHEN abs(f.value - r.value) > greatest(CAST(:value_abs AS numeric),
                                                     abs(r.value) * CAST(:value_ratio AS numeric))
              THEN 'value_differs' END),
        (CASE WHEN f.type = 'license' AND f.kind <> r.kind THEN 'kind_differs' END),
        (CASE WHEN f.filed_on > f.started_on + make_interval(months => CAST(:months AS integer))
                OR r.registered_on > r.started_on + CAST(:days AS integer)
              THEN 'late' END)
    ) AS x(reason)
    WHERE x.reason IS NOT NULL
  UNION ALL
    (SELECT DISTINCT ON (uf.ref) 'party_differs', uf.*, ur.id, ur.registration_number,
            ur.registered_on, ur.seller, ur.buyer, ur.kind, ur.value
     FROM uf JOIN ur ON ur.app = uf.app AND ur.type = uf.type
     ORDER BY uf.ref, ur.id)
  UNION ALL
    SELECT 'missing_registration', uf.*, NULL, NULL, NULL, NULL, NULL, NULL, NULL
    FROM uf
    WHERE NOT EXISTS (SELECT FROM ur WHERE ur.app = uf.app AND ur.type = uf.type)
      AND CAST(:run_on AS date) > COALESCE(uf.started_on, uf.filed_on) + CAST(:days AS integer)
  UNION ALL
    SELECT 'missing_filing', NULL, ur.type, ur.app, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
           ur.id, ur.registration_number, ur.registered_on, ur.seller, ur.buyer, ur.kind,
           ur.value
    FROM ur
    WHERE NOT EXISTS (SELECT FROM uf WHERE uf.app = ur.app AND uf.type = ur.type)
      AND CAST(:run_on AS date)
          > ur.effective_date + make_interval(months => CAST(:months AS integer))
)
SELECT CAST(:run_id AS varchar), reason, app, type, ref, filing_number, filed_on, started_on,
       seller, buyer, kind, value, r_id, registration_number, registered_on,
       r_seller, r_buyer, r_kind, r_value
FROM findings
"""  # noqa: S608 - constant column names; every value is bound

# One ReconciliationMismatchFound per row, written to the outbox in the run's transaction
# by one INSERT ... SELECT: its payload is the event's JSON (the tests validate it against
# the model), each event a span of the run's trace.
EMIT_MISMATCHES = f"""
INSERT INTO outbox ({", ".join(OUTBOX_COLUMNS)})
SELECT gen_random_uuid(), :topic, m.application_number, :event_type, :source,
       m.application_number, :now,
       '00-' || CAST(:trace_id AS text) || '-'
           || substr(md5(m.id::text || m.run_id), 1, 16) || '-01',
       :actor, NULL,
       jsonb_build_object(
           'run_id', m.run_id, 'run_on', CAST(:run_on AS date), 'reason', m.reason,
           'application_number', m.application_number, 'filing_type', m.filing_type,
           'filing_reference', m.filing_reference, 'filing_number', m.filing_number,
           'registration_id', m.registration_id,
           'registration_number', m.registration_number)
FROM reconciliation_mismatches m
WHERE m.run_id = :run_id
ORDER BY m.id
"""  # noqa: S608 - constant column names; every value is bound


class ReconciliationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add_run(self, run: ReconciliationRun) -> bool:
        """Insert the run; False when it is a scheduled run its day already has (another
        instance, or an earlier tick, took the day)."""
        result = await self.session.execute(
            insert(ReconciliationRunRecord)
            .values(**to_run_record(run).model_dump())
            .on_conflict_do_nothing(
                index_elements=["run_on"],
                index_where=text(f"trigger = '{RunTrigger.SCHEDULED.value}'"),
            )
            .returning(col(ReconciliationRunRecord.id))
        )
        return result.first() is not None

    async def claim_pending(self) -> ReconciliationRun | None:
        """The oldest pending run, locked until this transaction ends; another instance
        skips it (SKIP LOCKED) and takes the next, if any."""
        r = ReconciliationRunRecord
        query = (
            select(r)
            .where(col(r.status) == RunStatus.PENDING.value)
            .order_by(col(r.requested_at), col(r.id))
            .limit(1)
            .with_for_update(skip_locked=True)
        )
        record = (await self.session.execute(query)).scalar_one_or_none()
        return None if record is None else to_run(record)

    async def find_mismatches(self, run: ReconciliationRun) -> dict[str, int]:
        """Write the run's mismatch rows; returns how many per reason code (all codes)."""
        await self.session.execute(
            text(FIND_MISMATCHES),
            {
                "run_id": run.id,
                "run_on": run.run_on,
                "categories": sorted(c.value for cs in rules.CATEGORIES.values() for c in cs),
                "value_abs": rules.VALUE_TOLERANCE_ABSOLUTE,
                "value_ratio": rules.VALUE_TOLERANCE_RATIO,
                "months": rules.FILING_WINDOW_MONTHS,
                "days": REGISTRATION_WINDOW.days,
            },
        )
        m = ReconciliationMismatchRecord
        counted = await self.session.execute(
            select(col(m.reason), func.count())
            .where(col(m.run_id) == run.id)
            .group_by(col(m.reason))
        )
        counts = {reason.value: 0 for reason in MismatchReason}
        counts.update({reason: n for reason, n in counted.all()})
        return counts

    async def emit_mismatches(
        self,
        run: ReconciliationRun,
        *,
        source: str,
        now: datetime,
        trace_id: str,
        actor: str | None,
    ) -> None:
        await self.session.execute(
            text(EMIT_MISMATCHES),
            {
                "run_id": run.id,
                "run_on": run.run_on,
                "topic": ReconciliationMismatchFound.topic,
                "event_type": ReconciliationMismatchFound.event_type,
                "source": source,
                "now": now,
                "trace_id": trace_id,
                "actor": actor,
            },
        )

    async def complete(self, run: ReconciliationRun) -> None:
        record = await self.session.get(ReconciliationRunRecord, run.id)
        assert record is not None  # claimed in this transaction
        record.status = run.status.value
        record.completed_at = run.completed_at
        record.counts = run.counts
        await self.session.flush()

    async def get(self, run_id: str) -> ReconciliationRun | None:
        record = await self.session.get(ReconciliationRunRecord, run_id)
        return None if record is None else to_run(record)

    async def runs(
        self, *, limit: int, after: tuple[datetime, str] | None
    ) -> list[ReconciliationRun]:
        r = ReconciliationRunRecord
        query = select(r).order_by(col(r.requested_at).desc(), col(r.id).desc()).limit(limit)
        if after is not None:
            requested_at, last_id = after
            query = query.where(
                or_(
                    col(r.requested_at) < requested_at,
                    (col(r.requested_at) == requested_at) & (col(r.id) < last_id),
                )
            )
        return [to_run(row) for row in (await self.session.execute(query)).scalars()]

    async def mismatches(
        self,
        run_id: str,
        *,
        limit: int,
        after_id: int | None,
        reason: MismatchReason | None,
        application_number: str | None,
    ) -> list[Mismatch]:
        m = ReconciliationMismatchRecord
        query = select(m).where(col(m.run_id) == run_id).order_by(col(m.id)).limit(limit)
        if after_id is not None:
            query = query.where(col(m.id) > after_id)
        if reason is not None:
            query = query.where(col(m.reason) == reason.value)
        if application_number is not None:
            query = query.where(col(m.application_number) == application_number)
        return [to_mismatch(row) for row in (await self.session.execute(query)).scalars()]
