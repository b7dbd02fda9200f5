"""Terminal code pools: gift-card codes reserved for one terminal's offline issuance, with
their central-signed credentials (`wallet_sync.central.code_pool`).

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "code_reservations",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("program", sa.String(length=64), nullable=False),
        sa.Column("terminal", sa.String(length=16), nullable=False),
        sa.Column("qr", sa.Text(), nullable=False),
        sa.Column("reserved_at", sa.BigInteger(), nullable=False),
        sa.Column("issued_seq", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(["program"], ["programs.id"]),
        sa.ForeignKeyConstraint(["terminal"], ["terminals.id"]),
        sa.PrimaryKeyConstraint("code"),
    )
    with op.batch_alter_table("code_reservations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_code_reservations_terminal"), ["terminal"],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table("code_reservations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_code_reservations_terminal"))
    op.drop_table("code_reservations")
