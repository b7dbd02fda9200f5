"""Dynamic segments (issue 17): the program file's segment definitions, and each member's
segments as central last computed them (a JSON list of names, shipped in the member feed).

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.add_column(sa.Column("segments", sa.JSON(), server_default="[]",
                                      nullable=False))
    op.create_table(
        "customer_segments",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("expression", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )


def downgrade() -> None:
    op.drop_table("customer_segments")
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.drop_column("segments")
