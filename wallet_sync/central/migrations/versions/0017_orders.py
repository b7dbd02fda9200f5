"""Orders (issue 16): online authorizations carry the order a spend belongs to. `orders` keeps
each terminal's order basket as first authorized (a later request on the same order must carry
the same basket); an authorization and a points hold name their order (and a hold its reward),
so central re-checks restricted cards and stacking against what it authorized on that order.

Revision ID: 0017_orders
Revises: 0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017_orders"
down_revision = "0016_limit_counts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "orders",
        sa.Column("terminal", sa.String(length=16), nullable=False),
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("total", sa.BigInteger(), nullable=False),
        sa.Column("lines", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["terminal"], ["terminals.id"]),
        sa.PrimaryKeyConstraint("terminal", "id"),
    )
    with op.batch_alter_table("authorizations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("order_id", sa.String(length=64), nullable=True))
    op.create_index("ix_authorizations_order", "authorizations", ["terminal", "order_id"])
    with op.batch_alter_table("points_holds", schema=None) as batch_op:
        batch_op.add_column(sa.Column("order_id", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("reward", sa.String(length=64), nullable=True))
    op.create_index("ix_points_holds_order", "points_holds", ["terminal", "order_id"])


def downgrade() -> None:
    op.drop_index("ix_points_holds_order", table_name="points_holds")
    with op.batch_alter_table("points_holds", schema=None) as batch_op:
        batch_op.drop_column("reward")
        batch_op.drop_column("order_id")
    op.drop_index("ix_authorizations_order", table_name="authorizations")
    with op.batch_alter_table("authorizations", schema=None) as batch_op:
        batch_op.drop_column("order_id")
    op.drop_table("orders")
