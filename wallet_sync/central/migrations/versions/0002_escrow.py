"""Escrow and risk control: each card's central reserve, per-terminal grants, where cards are
seen (for choosing whom to grant), released holds, the grant an entry used, the terminal's
floor mark, and conflict resolutions (immutable rows beside the cases).

The reserve starts as balance minus open holds, which is the invariant
`balance = reserve + open grants + open holds` with no grants yet.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
OPEN = sa.text("status = 'open'")


def upgrade() -> None:
    op.add_column("cards", sa.Column("reserve", sa.BigInteger(), nullable=False,
                                     server_default="0"))
    op.add_column("holds", sa.Column("released_at", sa.BigInteger(), nullable=True))
    op.add_column("entries", sa.Column("grant_id", sa.Text(), nullable=True))
    op.add_column("terminals", sa.Column("floor_mark_seq", sa.BigInteger(), nullable=False,
                                         server_default="0"))
    op.execute("UPDATE cards SET reserve = balance_minor - COALESCE((SELECT SUM(h.amount) "
               "FROM holds h WHERE h.card = cards.code AND h.consumed_seq IS NULL), 0)")
    op.create_table(
        "grants",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("terminal", sa.String(length=16), sa.ForeignKey("terminals.id"),
                  nullable=False),
        sa.Column("card", sa.String(length=64), sa.ForeignKey("cards.code"), nullable=False),
        sa.Column("program", sa.String(length=64), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("used", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("expires_at", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("released_at", sa.BigInteger(), nullable=True),
        sa.Column("released_seq", sa.BigInteger(), nullable=True),
        sa.Column("change_seq", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.CheckConstraint("amount > 0 AND used >= 0", name="ck_grants_amounts"),
    )
    # At most one open grant per terminal and card: a retried pull can never grant twice.
    op.create_index("ux_grants_open", "grants", ["terminal", "card"], unique=True,
                    sqlite_where=OPEN, postgresql_where=OPEN)
    op.create_index("ix_grants_terminal_change", "grants", ["terminal", "change_seq"])
    op.create_index("ix_grants_card_status", "grants", ["card", "status"])
    op.create_table(
        "card_stores",
        sa.Column("store", sa.String(length=64), nullable=False),
        sa.Column("card", sa.String(length=64), nullable=False),
        sa.Column("home", sa.Boolean(), nullable=False),
        sa.Column("last_seen", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("store", "card"),
    )
    op.create_index("ix_card_stores_seen", "card_stores", ["store", "last_seen"])
    op.create_table(
        "conflict_resolutions",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("conflict_id", BigId, sa.ForeignKey("conflicts.id"), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=True),
        sa.Column("resolved_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("conflict_id", name="uq_conflict_resolutions_case"),
    )


def downgrade() -> None:
    op.drop_table("conflict_resolutions")
    op.drop_index("ix_card_stores_seen", table_name="card_stores")
    op.drop_table("card_stores")
    op.drop_index("ix_grants_card_status", table_name="grants")
    op.drop_index("ix_grants_terminal_change", table_name="grants")
    op.drop_index("ux_grants_open", table_name="grants")
    op.drop_table("grants")
    with op.batch_alter_table("terminals") as batch:
        batch.drop_column("floor_mark_seq")
    with op.batch_alter_table("entries") as batch:
        batch.drop_column("grant_id")
    with op.batch_alter_table("holds") as batch:
        batch.drop_column("released_at")
    with op.batch_alter_table("cards") as batch:
        batch.drop_column("reserve")
