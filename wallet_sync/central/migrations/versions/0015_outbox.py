"""Automation (issue 18): the outbox of events written with each change, the jobs table the
delivery worker takes rows from (`FOR UPDATE SKIP LOCKED`), webhook endpoints with sealed
secrets, the program file's triggers and the once-per-occurrence record of their firings (with
the A/B group and the spend then), and referrals (definition, members' codes, one row per
referred friend).

Revision ID: 0015_outbox
Revises: 0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015_outbox"
down_revision = "0012"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "outbox_events",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column("created", sa.BigInteger(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("member", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_outbox_events_created", "outbox_events", ["created"])
    op.create_table(
        "webhook_endpoints",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("events", sa.JSON(), nullable=False),
        sa.Column("secret", sa.Text(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("removed_at", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "jobs",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("event", sa.String(length=32), nullable=True),
        sa.Column("target", sa.String(length=64), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("due_at", sa.BigInteger(), nullable=False),
        sa.Column("lease_until", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("done_at", sa.BigInteger(), nullable=True),
        sa.Column("last_status", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    op.create_index("ix_jobs_status_due", "jobs", ["status", "due_at"])
    op.create_index("ix_jobs_target", "jobs", ["target"])
    op.create_table(
        "trigger_definitions",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("definition", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "trigger_firings",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("trigger", sa.String(length=64), nullable=False),
        sa.Column("member", sa.String(length=64), nullable=False),
        sa.Column("occurrence", sa.String(length=64), nullable=False),
        sa.Column("fired_at", sa.BigInteger(), nullable=False),
        sa.Column("actions", sa.JSON(), nullable=False),
        sa.Column("variant", sa.String(length=32), server_default="", nullable=False),
        sa.Column("spend_before", sa.BigInteger(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("trigger", "member", "occurrence", name="uq_trigger_firings_once"),
    )
    op.create_index("ix_trigger_firings_member", "trigger_firings", ["member"])
    op.create_table(
        "referral_definition",
        sa.Column("id", sa.String(length=16), nullable=False),
        sa.Column("definition", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "referral_codes",
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("member", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["member"], ["members.code"]),
        sa.PrimaryKeyConstraint("code"),
        sa.UniqueConstraint("member"),
    )
    op.create_table(
        "referrals",
        sa.Column("friend", sa.String(length=64), nullable=False),
        sa.Column("referrer", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("purchased_at", sa.BigInteger(), nullable=True),
        sa.Column("rewarded_at", sa.BigInteger(), nullable=True),
        sa.Column("outcome", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(["friend"], ["members.code"]),
        sa.ForeignKeyConstraint(["referrer"], ["members.code"]),
        sa.PrimaryKeyConstraint("friend"),
    )
    op.create_index("ix_referrals_referrer", "referrals", ["referrer"])


def downgrade() -> None:
    op.drop_index("ix_referrals_referrer", table_name="referrals")
    op.drop_table("referrals")
    op.drop_table("referral_codes")
    op.drop_table("referral_definition")
    op.drop_table("trigger_firings")
    op.drop_table("trigger_definitions")
    op.drop_index("ix_jobs_target", table_name="jobs")
    op.drop_index("ix_jobs_status_due", table_name="jobs")
    op.drop_table("jobs")
    op.drop_table("webhook_endpoints")
    op.drop_index("ix_outbox_events_created", table_name="outbox_events")
    op.drop_table("outbox_events")
