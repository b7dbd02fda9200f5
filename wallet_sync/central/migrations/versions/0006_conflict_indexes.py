"""Indexes on conflicts.card (a manager's unblock looks for the card's open cases) and
conflicts.terminal (a store's cases for its manager screen, `GET /v1/store/conflicts`).

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("conflicts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_conflicts_card"), ["card"], unique=False)
        batch_op.create_index(batch_op.f("ix_conflicts_terminal"), ["terminal"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("conflicts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_conflicts_terminal"))
        batch_op.drop_index(batch_op.f("ix_conflicts_card"))
