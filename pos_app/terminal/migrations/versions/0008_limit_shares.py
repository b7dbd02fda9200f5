"""Offline shares of program-scoped limits (issue 17): the shares central gave this terminal
(as pulled from the change feed) and what this terminal's own offline uses drew on each,
counted in the same transaction as the entry that used it.

Revision ID: 0008_limit_shares
Revises: 0007
"""

from alembic import op

revision = "0008_limit_shares"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # IF NOT EXISTS: a home stamped back to an older revision (tests do) keeps its tables.
    # uses/amount: NULL when the key has no count / no amount limit. expires_at is central's
    # clock; status is central's (open | closed); used_* are ours.
    op.execute(
        """CREATE TABLE IF NOT EXISTS limit_shares (
            id TEXT PRIMARY KEY,
            program TEXT NOT NULL,
            benefit TEXT NOT NULL,
            uses INTEGER,
            amount INTEGER,
            expires_at INTEGER NOT NULL,
            status TEXT NOT NULL,
            change_seq INTEGER NOT NULL,
            used_uses INTEGER NOT NULL DEFAULT 0,
            used_amount INTEGER NOT NULL DEFAULT 0
        )"""
    )
    op.execute("CREATE INDEX IF NOT EXISTS ix_limit_shares_key ON limit_shares (program, benefit)")


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS limit_shares")
