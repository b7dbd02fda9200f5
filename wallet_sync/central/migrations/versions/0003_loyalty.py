"""Loyalty: members, their cached points lots, and the applied points events that rebuild them
(`wallet_sync.central.tables`).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "members",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("program", sa.String(length=64), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("attributes", sa.JSON(), nullable=False),
        sa.Column("points", sa.BigInteger(), nullable=False),
        sa.Column("tier", sa.String(length=64), nullable=False),
        sa.Column("visits", sa.Integer(), nullable=False),
        sa.Column("last_activity", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("change_seq", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["program"], ["programs.id"]),
        sa.PrimaryKeyConstraint("code"),
    )
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_members_change_seq"), ["change_seq"], unique=False)
    op.create_table(
        "member_lots",
        sa.Column("member", sa.String(length=64), nullable=False),
        sa.Column("lot_id", sa.String(length=80), nullable=False),
        sa.Column("points", sa.BigInteger(), nullable=False),
        sa.Column("remaining", sa.BigInteger(), nullable=False),
        sa.Column("earned_at", sa.BigInteger(), nullable=False),
        sa.Column("expires_at", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(["member"], ["members.code"]),
        sa.PrimaryKeyConstraint("member", "lot_id"),
    )
    op.create_table(
        "points_events",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("member", sa.String(length=64), nullable=False),
        sa.Column("op", sa.String(length=16), nullable=False),
        sa.Column("points", sa.BigInteger(), nullable=False),
        sa.Column("lot_id", sa.String(length=80), nullable=True),
        sa.Column("expires_at", sa.BigInteger(), nullable=True),
        sa.Column("allocation", sa.JSON(), nullable=False),
        sa.Column("at", sa.BigInteger(), nullable=False),
        sa.Column("terminal", sa.String(length=16), nullable=True),
        sa.Column("seq", sa.BigInteger(), nullable=True),
        sa.Column("actor", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(["member"], ["members.code"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("points_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_points_events_member"), ["member"], unique=False)
        batch_op.create_index("ix_points_events_terminal_seq", ["terminal", "seq"], unique=False)


def downgrade() -> None:
    op.drop_table("points_events")
    op.drop_table("member_lots")
    op.drop_table("members")
