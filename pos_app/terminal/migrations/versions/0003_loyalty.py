"""Loyalty on the terminal: the members replica (central's points lots as of `acked_seq`, like
the cards replica) and an index for tallying limit usage from the journal by operation and time.

Revision ID: 0003
Revises: 0002
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # data: {"points", "tier", "visits", "last_activity", "lots": [[id, points, remaining,
    # earned_at, expires_at], ...]} as central sent it; the local view adds this terminal's
    # own earn/burn/void entries with seq > acked_seq (pos_app.terminal.members).
    op.execute(
        """CREATE TABLE members (
            code TEXT PRIMARY KEY,
            program TEXT NOT NULL,
            country TEXT NOT NULL,
            data TEXT NOT NULL,
            acked_seq INTEGER NOT NULL,
            change_seq INTEGER NOT NULL
        )"""
    )
    op.execute("CREATE INDEX ix_journal_op_wall ON journal (op, wall_ms)")


def downgrade() -> None:
    op.execute("DROP INDEX ix_journal_op_wall")
    op.execute("DROP TABLE members")
