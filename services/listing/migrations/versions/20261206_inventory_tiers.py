"""stock-patent inventory: inventory records, evaluations, tier history, matching
feedback, and the public inventory facts on patents

Revision ID: 20261206_inventory_tiers
Revises: 22ff1fa55524
Create Date: 2026-12-06 12:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "20261206_inventory_tiers"
down_revision: str | None = "22ff1fa55524"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TEXTS = postgresql.ARRAY(sa.String())


def upgrade() -> None:
    op.add_column("patents", sa.Column("tier", sa.CHAR(1), nullable=True))
    op.add_column("patents", sa.Column("willingness", sa.String(16), nullable=True))
    op.add_column(
        "patents", sa.Column("intended_modes", _TEXTS, nullable=False, server_default="{}")
    )
    op.add_column("patents", sa.Column("unexploited_flagged_on", sa.Date(), nullable=True))
    op.create_table(
        "inventory_records",
        sa.Column("application_number", sa.String(20), nullable=False),
        sa.Column("institution_uscc", sa.String(18), nullable=False),
        sa.Column("institution_name", sa.String(200), nullable=False),
        sa.Column("inventors", postgresql.JSONB(), nullable=False),
        sa.Column("willingness", sa.String(16), nullable=False),
        sa.Column("intended_modes", _TEXTS, nullable=False),
        sa.Column("portfolios", _TEXTS, nullable=False),
        sa.Column("state_funding_project", sa.String(200), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("evaluated", sa.Boolean(), nullable=False),
        sa.Column("tier", sa.CHAR(1), nullable=True),
        sa.Column("computed_tier", sa.CHAR(1), nullable=True),
        sa.Column("rule_version", sa.String(32), nullable=True),
        sa.Column("rule_id", sa.String(16), nullable=True),
        sa.Column("reasons", postgresql.JSONB(), nullable=False, server_default="[]"),
        sa.Column("override_tier", sa.CHAR(1), nullable=True),
        sa.Column("override_reason", sa.Text(), nullable=True),
        sa.Column("recorded_by_org_id", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_number"],
            ["patents.application_number"],
            name=op.f("fk_inventory_records_application_number_patents"),
        ),
        sa.PrimaryKeyConstraint("application_number", name=op.f("pk_inventory_records")),
    )
    op.create_index("ix_inventory_records_institution", "inventory_records", ["institution_uscc"])
    op.create_table(
        "evaluations",
        sa.Column("application_number", sa.String(20), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("evaluator_org_id", sa.String(64), nullable=False),
        sa.Column("evaluator_org_name", sa.String(200), nullable=False),
        sa.Column("evaluator_uscc", sa.String(18), nullable=True),
        sa.Column("evaluator_person", sa.String(100), nullable=False),
        sa.Column("evaluated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("readiness_level", sa.SmallInteger(), nullable=False),
        sa.Column("application_scenarios", sa.Text(), nullable=False),
        sa.Column("scenario_industry_codes", _TEXTS, nullable=False),
        sa.Column("prospects_score", sa.SmallInteger(), nullable=False),
        sa.Column("prospects", sa.Text(), nullable=False),
        sa.Column("market_size", sa.Numeric(18, 2), nullable=True),
        sa.Column("investment_needed", sa.Numeric(18, 2), nullable=True),
        sa.Column("improvement_needed", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["application_number"],
            ["patents.application_number"],
            name=op.f("fk_evaluations_application_number_patents"),
        ),
        sa.PrimaryKeyConstraint(
            "application_number", "kind", "version", name=op.f("pk_evaluations")
        ),
    )
    op.create_table(
        "tier_changes",
        sa.Column("application_number", sa.String(20), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("tier", sa.CHAR(1), nullable=True),
        sa.Column("previous_tier", sa.CHAR(1), nullable=True),
        sa.Column("in_force", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("rule_version", sa.String(32), nullable=True),
        sa.Column("reasons", postgresql.JSONB(), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("application_number", "seq", name=op.f("pk_tier_changes")),
    )
    op.create_table(
        "match_feedback",
        sa.Column("feedback_id", sa.String(64), nullable=False),
        sa.Column("application_number", sa.String(20), nullable=False),
        sa.Column("enterprise_uscc", sa.String(18), nullable=True),
        sa.Column("will_implement", sa.String(16), nullable=False),
        sa.Column("wants_cooperation", sa.Boolean(), nullable=False),
        sa.Column("market_evaluation", sa.String(16), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("feedback_id", name=op.f("pk_match_feedback")),
    )
    op.create_index("ix_match_feedback_patent", "match_feedback", ["application_number"])


def downgrade() -> None:
    op.drop_table("match_feedback")
    op.drop_table("tier_changes")
    op.drop_table("evaluations")
    op.drop_table("inventory_records")
    for column in ("unexploited_flagged_on", "intended_modes", "willingness", "tier"):
        op.drop_column("patents", column)
