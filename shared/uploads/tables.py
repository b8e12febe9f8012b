"""The tables of uploads, defined on a service's own ``MetaData`` like the infrastructure
tables (``shared.db.infrastructure``), so the service's migrations create them in its own
database.

A service's migration creates them in one call::

    from shared.uploads.tables import create_upload_tables, drop_upload_tables

    def upgrade() -> None:
        create_upload_tables(op)

    def downgrade() -> None:
        drop_upload_tables(op)

(The migration then holds no copy of the columns: a later change to these tables comes with
its own migration step in every service that has them.)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID

from shared.db.infrastructure import NAMING_CONVENTION

STATUSES = ("received", "running", "succeeded", "completed_with_errors", "rejected", "failed")


@dataclass(frozen=True)
class UploadTables:
    jobs: Table
    chunks: Table
    row_errors: Table


def define_upload_tables(metadata: MetaData) -> UploadTables:
    """Define ``upload_jobs``, ``upload_chunks`` and ``upload_row_errors`` on ``metadata``."""
    statuses = ", ".join(f"'{s}'" for s in STATUSES)
    jobs = Table(
        "upload_jobs",
        metadata,
        Column("id", UUID(as_uuid=False), primary_key=True),
        Column("kind", String(64), nullable=False),
        Column("uploaded_by", String(255), nullable=False, comment="Uploading organisation."),
        Column("uploader_subject", String(255), nullable=False, comment="Token subject."),
        Column("on_behalf_of", String(255), comment="Organisation named by the operator."),
        Column("idempotency_key", String(255)),
        Column("sha256", String(64), nullable=False),
        Column("size_bytes", BigInteger, nullable=False),
        Column("format", String(8), nullable=False),
        Column("encoding", String(16), nullable=False),
        Column("options", JSONB, nullable=False, server_default=text("'{}'::jsonb")),
        Column("atomic", Boolean, nullable=False, server_default=text("false")),
        Column("status", String(24), nullable=False),
        Column("rows_total", Integer, nullable=False),
        Column("rows_done", Integer, nullable=False, server_default=text("0")),
        Column("rows_committed", Integer, nullable=False, server_default=text("0")),
        Column("rows_failed", Integer, nullable=False, server_default=text("0")),
        Column("next_row", Integer, nullable=False, server_default=text("1")),
        Column("lease_owner", String(64)),
        Column("lease_expires_at", DateTime(timezone=True)),
        Column("attempts", SmallInteger, nullable=False, server_default=text("0")),
        Column("failure", Text),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("started_at", DateTime(timezone=True)),
        Column("finished_at", DateTime(timezone=True)),
        UniqueConstraint(
            "uploader_subject", "idempotency_key", name="uq_upload_jobs_uploader_subject_key"
        ),
        CheckConstraint(f"status IN ({statuses})", name="status"),
        Index(
            "ix_upload_jobs_pending",
            "created_at",
            postgresql_where=text("status IN ('received', 'running')"),
        ),
        Index("ix_upload_jobs_uploaded_by", "uploaded_by", "created_at"),
    )
    chunks = Table(
        "upload_chunks",
        metadata,
        _job_id("upload_chunks"),
        Column("seq", Integer, nullable=False),
        Column("data", LargeBinary, nullable=False),
        PrimaryKeyConstraint("job_id", "seq", name="pk_upload_chunks"),
    )
    row_errors = Table(
        "upload_row_errors",
        metadata,
        _job_id("upload_row_errors"),
        Column("row", Integer, nullable=False),
        Column("seq", SmallInteger, nullable=False, comment="Errors of one row, in order."),
        Column("line", Integer),
        Column("field", String(255)),
        Column("reason", Text, nullable=False),
        PrimaryKeyConstraint("job_id", "row", "seq", name="pk_upload_row_errors"),
    )
    return UploadTables(jobs=jobs, chunks=chunks, row_errors=row_errors)


def _job_id(table: str) -> Column[str]:
    """The job a row belongs to: it goes with the job."""
    return Column(
        "job_id",
        UUID(as_uuid=False),
        ForeignKey("upload_jobs.id", ondelete="CASCADE", name=f"fk_{table}_job_id"),
        nullable=False,
    )


def create_upload_tables(op: Any) -> None:
    """Create the upload tables in a migration (``op`` is Alembic's ``op``)."""
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    tables = define_upload_tables(metadata)
    bind = op.get_bind()
    for table in (tables.jobs, tables.chunks, tables.row_errors):
        table.create(bind)


def drop_upload_tables(op: Any) -> None:
    for name in ("upload_row_errors", "upload_chunks", "upload_jobs"):
        op.drop_table(name)
