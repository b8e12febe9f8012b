"""Reconciliation's queries. The run itself is set-based: PostgreSQL pairs every filing
with every registration and writes the mismatch rows and their outbox events with
``INSERT ... SELECT`` (the rules: ``domain/reconciliation.py``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import text
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


def _columns(f: str, r: str) -> str:
    """A mismatch row's columns after its reason: the filing's side from the columns of
    ``f``, the registration's from those prefixed ``r`` (a row of ``j``, or of ``u`` with
    the registration it is paired with)."""
    return (
        f"COALESCE({f}.app, {r}r_app), COALESCE({f}.type, {r}r_type), {f}.ref, "
        f"{f}.filing_number, {f}.filed_on, {f}.started_on, {f}.seller, {f}.buyer, {f}.kind, "
        f"{f}.value, {r}r_id, {r}registration_number, {r}registered_on, {r}r_seller, "
        f"{r}r_buyer, {r}r_kind, {r}r_value"
    )


_PAIRED = ("r_app", "r_type", "r_id", "registration_number", "registered_on", "r_seller",
           "r_buyer", "r_kind", "r_value")  # fmt: skip

# One FULL JOIN of what the patent office holds (f) with what the registration office
# registered (r) on patent, type and both parties: a row with both sides is a matched pair
# (its disagreements in `reasons`), a row with one side is a filing or registration left
# unmatched. Only rows that report something are kept (`j`, a few per cent of the join).
# The unmatched ones (`u`) are grouped by patent and type, with windows rather than joins
# (no plan to get wrong over a CTE): a filing beside an unmatched registration is
# party_differs, paired with the lowest-id one; what has nothing beside it is missing
# once due.
#
# The rows go into the report; the statement answers the count of rows per reason.
RECORD_MISMATCHES = f"""
WITH j AS MATERIALIZED (
    SELECT * FROM (
        SELECT f.*, r.*, array_remove(ARRAY[
            CASE WHEN abs(f.value - r.r_value)
                      > greatest(CAST(:value_abs AS numeric),
                                 abs(r.r_value) * CAST(:value_ratio AS numeric))
                 THEN 'value_differs' END,
            CASE WHEN f.type = 'license' AND f.kind <> r.r_kind THEN 'kind_differs' END,
            CASE WHEN f.filed_on > f.started_on + make_interval(months => CAST(:months AS integer))
                   OR r.registered_on > r.r_started_on + CAST(:days AS integer)
                 THEN 'late' END
        ], NULL) AS reasons
        FROM (
            SELECT source_reference AS ref, filing_type AS type, application_number AS app,
                   seller_uscc AS seller, buyer_uscc AS buyer, license_kind AS kind,
                   contract_value AS value, started_on, filing_number, filed_on
            FROM filings
            WHERE filed_on IS NOT NULL
        ) f
        FULL JOIN (
            SELECT id AS r_id,
                   CASE contract_category WHEN 'license' THEN 'license' ELSE 'transfer' END
                       AS r_type,
                   application_number AS r_app, seller_uscc AS r_seller, buyer_uscc AS r_buyer,
                   license_kind AS r_kind,
                   COALESCE(certified_contract_value, contract_value) AS r_value,
                   COALESCE(signed_on, effective_date) AS r_started_on,
                   effective_date AS r_effective_on, registered_on, registration_number
            FROM tech_contract_registrations
            WHERE status = 'registered' AND registered_on IS NOT NULL
              AND contract_category = ANY(CAST(:categories AS text[]))
        ) r ON r.r_app = f.app AND r.r_type = f.type
           AND r.r_seller = f.seller AND r.r_buyer = f.buyer
    ) joined
    WHERE ref IS NULL OR r_id IS NULL OR reasons <> '{{}}'
)
, u AS (
    SELECT j.*, count(j.r_id) OVER k AS registrations, count(j.ref) OVER k AS filings,
           {", ".join(f"first_value(j.{c}) OVER w AS p_{c}" for c in _PAIRED)}
    FROM j
    WHERE j.ref IS NULL OR j.r_id IS NULL
    WINDOW k AS (PARTITION BY COALESCE(j.app, j.r_app), COALESCE(j.type, j.r_type)),
           w AS (k ORDER BY j.r_id NULLS LAST)
), found AS (
INSERT INTO reconciliation_mismatches (run_id, {MISMATCH_COLUMNS})
SELECT CAST(:run_id AS varchar), reason, {_columns("j", "j.")}
FROM j CROSS JOIN LATERAL unnest(j.reasons) AS reason
WHERE j.ref IS NOT NULL AND j.r_id IS NOT NULL
UNION ALL
SELECT CAST(:run_id AS varchar), 'party_differs', {_columns("u", "u.p_")}
FROM u
WHERE u.r_id IS NULL AND u.registrations > 0
UNION ALL
SELECT CAST(:run_id AS varchar), 'missing_registration', {_columns("u", "u.")}
FROM u
WHERE u.r_id IS NULL AND u.registrations = 0
  AND CAST(:run_on AS date) > COALESCE(u.started_on, u.filed_on) + CAST(:days AS integer)
UNION ALL
SELECT CAST(:run_id AS varchar), 'missing_filing', {_columns("u", "u.")}
FROM u
WHERE u.ref IS NULL AND u.filings = 0
  AND CAST(:run_on AS date)
      > u.r_effective_on + make_interval(months => CAST(:months AS integer))
RETURNING reason
)
SELECT reason, count(*) FROM found GROUP BY reason
"""  # noqa: S608 - constant column names; every value is bound

# Then one ReconciliationMismatchFound per row of the run that the previous completed run
# did not report (the same reason on the same filing and registration): a mismatch nobody
# resolves is told once, not every day. A statement of its own, after the rows are in and
# the table analysed (within the transaction, counting its own rows): an anti-join against
# a table the same statement is filling, planned on the empty table's statistics, would
# scan the growing table once per row. The payload is the event's JSON (the tests validate
# it against the model), each event a span of the run's trace; its id and span id are the
# row's (run, id) hashed (unique, and no call to the random generator per row).
TELL_NEW_MISMATCHES = f"""
INSERT INTO outbox ({", ".join(OUTBOX_COLUMNS)})
SELECT CAST(m.h AS uuid), :topic, m.application_number, :event_type, :source,
       m.application_number, :now,
       '00-' || CAST(:trace_id AS text) || '-' || substr(m.h, 17, 16) || '-01',
       :actor, NULL,
       jsonb_build_object(
           'run_id', m.run_id, 'run_on', CAST(:run_on AS date), 'reason', m.reason,
           'application_number', m.application_number, 'filing_type', m.filing_type,
           'filing_reference', m.filing_reference, 'filing_number', m.filing_number,
           'registration_id', m.registration_id,
           'registration_number', m.registration_number)
FROM (
    SELECT c.*, md5(c.run_id || '/' || c.id) AS h
    FROM reconciliation_mismatches c
    WHERE c.run_id = CAST(:run_id AS varchar)
      AND NOT EXISTS (
          SELECT 1 FROM reconciliation_mismatches p
          WHERE p.run_id = CAST(:previous_run_id AS varchar) AND p.reason = c.reason
            AND COALESCE(p.filing_reference, '') = COALESCE(c.filing_reference, '')
            AND COALESCE(p.registration_id, '') = COALESCE(c.registration_id, '')
      )
) m
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

    async def record_mismatches(
        self,
        run: ReconciliationRun,
        *,
        source: str,
        now: datetime,
        trace_id: str,
        actor: str | None,
    ) -> dict[str, int]:
        """Write the run's mismatch rows, and an outbox event for each the previous
        completed run did not report; returns how many rows per reason code (every code,
        zeros included)."""
        previous = await self.session.execute(
            select(col(ReconciliationRunRecord.id))
            .where(
                col(ReconciliationRunRecord.status) == RunStatus.COMPLETED.value,
                col(ReconciliationRunRecord.id) != run.id,
            )
            .order_by(col(ReconciliationRunRecord.completed_at).desc())
            .limit(1)
        )
        counted = await self.session.execute(
            text(RECORD_MISMATCHES),
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
        rows = counted.all()
        await self.session.execute(text("ANALYZE reconciliation_mismatches"))
        await self.session.execute(
            text(TELL_NEW_MISMATCHES),
            {
                "run_id": run.id,
                "previous_run_id": previous.scalar_one_or_none(),
                "run_on": run.run_on,
                "topic": ReconciliationMismatchFound.topic,
                "event_type": ReconciliationMismatchFound.event_type,
                "source": source,
                "now": now,
                "trace_id": trace_id,
                "actor": actor,
            },
        )
        counts = {reason.value: 0 for reason in MismatchReason}
        counts.update({reason: n for reason, n in rows})
        return counts

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
