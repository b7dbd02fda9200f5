"""Value needs authority (issue 12): every program version kept (`program_versions`, filled
from the versions in force now), value authorizations and points holds taken online, terminal
flags, the journal heads terminals report (`terminal_heads`, the highest in `terminals.head_seq`)
and their last sync time, and the `offline` and
`program` of each stored entry for the offline re-check's counts.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "program_versions",
        sa.Column("program", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("definition", sa.JSON(), nullable=False),
        sa.Column("definition_hash", sa.String(length=64), nullable=False),
        sa.Column("published_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["program"], ["programs.id"]),
        sa.PrimaryKeyConstraint("program", "version"),
    )
    # The versions in force now are the oldest central can re-check under.
    op.execute("INSERT INTO program_versions (program, version, definition, definition_hash, "
               "published_at) SELECT id, version, definition, definition_hash, updated_at "
               "FROM programs")
    with op.batch_alter_table("terminals", schema=None) as batch_op:
        batch_op.add_column(sa.Column("floor_mark_at", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("head_seq", sa.BigInteger(), server_default="0",
                                      nullable=False))
        batch_op.add_column(sa.Column("change_seq", sa.BigInteger(), server_default="0",
                                      nullable=False))
    with op.batch_alter_table("entries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("offline", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("program", sa.Text(), nullable=True))
    op.create_table(
        "terminal_heads",
        sa.Column("terminal", sa.String(length=16), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.LargeBinary(), nullable=False),
        sa.Column("reported_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["terminal"], ["terminals.id"]),
        sa.PrimaryKeyConstraint("terminal", "seq"),
    )
    op.create_table(
        "terminal_flags",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
                  autoincrement=True, nullable=False),
        sa.Column("terminal", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=64), nullable=False),
        sa.Column("conflict_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
                  nullable=True),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("raised_at", sa.BigInteger(), nullable=False),
        sa.Column("cleared_at", sa.BigInteger(), nullable=True),
        sa.Column("cleared_by", sa.String(length=64), nullable=True),
        sa.Column("clear_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["conflict_id"], ["conflicts.id"]),
        sa.ForeignKeyConstraint(["terminal"], ["terminals.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("terminal_flags", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_terminal_flags_terminal"), ["terminal"],
                              unique=False)
    op.create_table(
        "value_authorizations",
        sa.Column("auth_id", sa.String(length=32), nullable=False),
        sa.Column("terminal", sa.String(length=16), nullable=False),
        sa.Column("request_id", sa.String(length=64), nullable=False),
        sa.Column("op", sa.String(length=16), nullable=False),
        sa.Column("card", sa.String(length=64), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("staff", sa.String(length=64), nullable=False),
        sa.Column("transfer_from", sa.String(length=64), nullable=True),
        sa.Column("expires_at", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("consumed_seq", sa.BigInteger(), nullable=True),
        sa.Column("source_seq", sa.BigInteger(), nullable=True),
        sa.Column("response", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["terminal"], ["terminals.id"]),
        sa.PrimaryKeyConstraint("auth_id"),
        sa.UniqueConstraint("terminal", "request_id", name="uq_value_auth_request"),
    )
    op.create_table(
        "points_holds",
        sa.Column("auth_id", sa.String(length=32), nullable=False),
        sa.Column("terminal", sa.String(length=16), nullable=False),
        sa.Column("request_id", sa.String(length=64), nullable=False),
        sa.Column("member", sa.String(length=64), nullable=False),
        sa.Column("program", sa.String(length=64), nullable=False),
        sa.Column("points", sa.BigInteger(), nullable=False),
        sa.Column("expires_at", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("consumed_seq", sa.BigInteger(), nullable=True),
        sa.Column("released_at", sa.BigInteger(), nullable=True),
        sa.Column("response", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["member"], ["members.code"]),
        sa.ForeignKeyConstraint(["terminal"], ["terminals.id"]),
        sa.PrimaryKeyConstraint("auth_id"),
        sa.UniqueConstraint("terminal", "request_id", name="uq_points_holds_request"),
    )
    with op.batch_alter_table("points_holds", schema=None) as batch_op:
        batch_op.create_index("ix_points_holds_member_open",
                              ["member", "consumed_seq", "released_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("points_holds", schema=None) as batch_op:
        batch_op.drop_index("ix_points_holds_member_open")
    op.drop_table("points_holds")
    op.drop_table("value_authorizations")
    with op.batch_alter_table("terminal_flags", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_terminal_flags_terminal"))
    op.drop_table("terminal_flags")
    op.drop_table("terminal_heads")
    with op.batch_alter_table("entries", schema=None) as batch_op:
        batch_op.drop_column("program")
        batch_op.drop_column("offline")
    with op.batch_alter_table("terminals", schema=None) as batch_op:
        batch_op.drop_column("change_seq")
        batch_op.drop_column("head_seq")
        batch_op.drop_column("floor_mark_at")
    op.drop_table("program_versions")
