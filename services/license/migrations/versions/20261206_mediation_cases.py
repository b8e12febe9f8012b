"""mediation cases: dispute mediation on a licence (专利纠纷调解) with its deadlines

Revision ID: 20261206_mediation_cases
Revises: 20261206_license_endings
Create Date: 2026-12-06 12:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "20261206_mediation_cases"
down_revision: str | None = "20261206_license_endings"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_WATCH = sa.text("status IN ('requested', 'accepted')")


def _text(name: str, length: int, *, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sqlmodel.sql.sqltypes.AutoString(length=length), nullable=nullable)


def upgrade() -> None:
    jsonb = postgresql.JSONB(astext_type=sa.Text())
    op.create_table(
        "mediation_cases",
        _text("id", 36),
        _text("license_id", 36),
        _text("application_number", 20),
        _text("patent_number", 22),
        sa.Column("licensee", jsonb, nullable=False),
        sa.Column("licensors", jsonb, nullable=False),
        _text("licensee_org_id", 64, nullable=True),
        sa.Column("party_usccs", postgresql.ARRAY(sa.String()), nullable=False),
        _text("requester_side", 10),
        sa.Column("requester", jsonb, nullable=False),
        _text("mediator_org_id", 64),
        _text("mediator_name", 255),
        sa.Column("claims", sa.Text(), nullable=False),
        sa.Column("dispute_arose_on", sa.Date(), nullable=False),
        sa.Column("requested_on", sa.Date(), nullable=False),
        sa.Column("acceptance_deadline", sa.Date(), nullable=False),
        sa.Column("acceptance_notice_on", sa.Date(), nullable=False),
        _text("status", 20),
        sa.Column("respondent_agrees", sa.Boolean(), nullable=True),
        sa.Column("answered_on", sa.Date(), nullable=True),
        sa.Column("proceedings", jsonb, nullable=False),
        _text("refusal_reason", 30, nullable=True),
        sa.Column("accepted_on", sa.Date(), nullable=True),
        sa.Column("closing_deadline", sa.Date(), nullable=True),
        sa.Column("closing_notice_on", sa.Date(), nullable=True),
        sa.Column("extensions", jsonb, nullable=False),
        sa.Column("sessions", jsonb, nullable=False),
        sa.Column("settlement", jsonb, nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        _text("termination_reason", 30, nullable=True),
        sa.Column("termination_note", sa.Text(), nullable=True),
        sa.Column("acceptance_alert", sa.String(10), server_default="none", nullable=False),
        sa.Column("closing_alert", sa.String(10), server_default="none", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["license_id"], ["licenses.id"], name=op.f("fk_mediation_cases_license_id_licenses")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mediation_cases")),
    )
    op.create_index("ix_mediation_cases_created_at_id", "mediation_cases", ["created_at", "id"])
    op.create_index("ix_mediation_cases_license_id", "mediation_cases", ["license_id"])
    op.create_index("ix_mediation_cases_mediator_org_id", "mediation_cases", ["mediator_org_id"])
    op.create_index("ix_mediation_cases_licensee_org_id", "mediation_cases", ["licensee_org_id"])
    op.create_index(
        "ix_mediation_cases_party_usccs",
        "mediation_cases",
        ["party_usccs"],
        postgresql_using="gin",
    )
    op.create_index(
        "ix_mediation_cases_deadline_watch",
        "mediation_cases",
        ["status"],
        postgresql_where=_WATCH,
    )


def downgrade() -> None:
    op.drop_index(
        "ix_mediation_cases_deadline_watch", table_name="mediation_cases", postgresql_where=_WATCH
    )
    for name in ("party_usccs", "licensee_org_id", "mediator_org_id", "license_id"):
        op.drop_index(f"ix_mediation_cases_{name}", table_name="mediation_cases")
    op.drop_index("ix_mediation_cases_created_at_id", table_name="mediation_cases")
    op.drop_table("mediation_cases")
