"""Limits counted across tills (issue 17): holds on customer- and program-scoped counts for
online decisions (`limit_holds`), the uses ingested (`limit_uses`), and the offline shares of
program-scoped limits given to terminals (`limit_shares`).

Revision ID: 0016_limit_counts
Revises: 0015_outbox (rebased onto main, whose messaging outbox came first)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016_limit_counts"
down_revision = "0015_outbox"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "limit_holds",
        sa.Column("auth_id", sa.String(length=32), nullable=False),
        sa.Column("terminal", sa.String(length=16), nullable=False),
        sa.Column("program", sa.String(length=64), nullable=False),
        sa.Column("benefit", sa.String(length=64), nullable=False),
        sa.Column("customer", sa.String(length=64), nullable=True),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("expires_at", sa.BigInteger(), nullable=False),
        sa.Column("consumed_seq", sa.BigInteger(), nullable=True),
        sa.Column("released_at", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(["terminal"], ["terminals.id"]),
        sa.PrimaryKeyConstraint("auth_id"),
    )
    op.create_index("ix_limit_holds_program_open", "limit_holds",
                    ["program", "consumed_seq", "released_at"])
    op.create_table(
        "limit_uses",
        sa.Column("terminal", sa.String(length=16), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("program", sa.String(length=64), nullable=False),
        sa.Column("benefit", sa.String(length=64), nullable=False),
        sa.Column("customer", sa.String(length=64), nullable=True),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("at", sa.BigInteger(), nullable=False),
        sa.Column("auth", sa.String(length=32), nullable=True),
        sa.Column("share", sa.String(length=32), nullable=True),
        sa.Column("voided_seq", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(["terminal"], ["terminals.id"]),
        sa.PrimaryKeyConstraint("terminal", "seq"),
    )
    op.create_index("ix_limit_uses_program_at", "limit_uses", ["program", "at"])
    op.create_index("ix_limit_uses_customer", "limit_uses", ["customer"])
    op.create_table(
        "limit_shares",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("terminal", sa.String(length=16), nullable=False),
        sa.Column("program", sa.String(length=64), nullable=False),
        sa.Column("benefit", sa.String(length=64), nullable=False),
        sa.Column("uses", sa.BigInteger(), nullable=True),
        sa.Column("amount", sa.BigInteger(), nullable=True),
        sa.Column("used_uses", sa.BigInteger(), nullable=False),
        sa.Column("used_amount", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("expires_at", sa.BigInteger(), nullable=False),
        sa.Column("closed_at", sa.BigInteger(), nullable=True),
        sa.Column("change_seq", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["terminal"], ["terminals.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_limit_shares_key", "limit_shares", ["program", "benefit", "status"])
    op.create_index("ix_limit_shares_terminal_change", "limit_shares",
                    ["terminal", "change_seq"])


def downgrade() -> None:
    op.drop_table("limit_shares")
    op.drop_table("limit_uses")
    op.drop_table("limit_holds")
