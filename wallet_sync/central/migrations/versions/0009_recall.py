"""Escrow grants follow the customer (issue 15): when a grant was recalled
(`grants.recalled_at`), reserved codes released by a decommission
(`code_reservations.released_at`) and the decommissions themselves.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("grants", schema=None) as batch_op:
        batch_op.add_column(sa.Column("recalled_at", sa.BigInteger(), nullable=True))
    with op.batch_alter_table("code_reservations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("released_at", sa.BigInteger(), nullable=True))
    op.create_table(
        "decommissions",
        sa.Column("terminal", sa.String(length=16), nullable=False),
        sa.Column("decommissioned_at", sa.BigInteger(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=True),
        sa.Column("grants_returned", sa.Integer(), nullable=False),
        sa.Column("value_returned", sa.JSON(), nullable=False),
        sa.Column("codes_released", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["terminal"], ["terminals.id"]),
        sa.PrimaryKeyConstraint("terminal"),
    )


def downgrade() -> None:
    op.drop_table("decommissions")
    with op.batch_alter_table("code_reservations", schema=None) as batch_op:
        batch_op.drop_column("released_at")
    with op.batch_alter_table("grants", schema=None) as batch_op:
        batch_op.drop_column("recalled_at")
