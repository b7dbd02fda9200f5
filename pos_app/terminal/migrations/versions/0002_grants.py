"""Escrow grants on the terminal: the grants central gave this terminal (as pulled from the
change feed, plus the local seq of the release entry that handed each back), and the journal's
`grant_id` copy column (the grant a redemption drew on) for the grant's used-so-far sum.

Revision ID: 0002
Revises: 0001
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # expires_at is central's clock (unix seconds); status is central's (open | released);
    # released_seq is ours: set in the same transaction as the release entry, after which the
    # grant is never drawn on again.
    op.execute(
        """CREATE TABLE grants (
            id TEXT PRIMARY KEY,
            card TEXT NOT NULL,
            program TEXT NOT NULL,
            amount INTEGER NOT NULL,
            expires_at INTEGER NOT NULL,
            status TEXT NOT NULL,
            change_seq INTEGER NOT NULL,
            released_seq INTEGER
        )"""
    )
    op.execute("CREATE INDEX ix_grants_card ON grants (card)")
    # A copy of the signed body's `grant`, like the other copy columns; `terminal verify`
    # checks it. Existing rows predate grants, so NULL is their true value.
    op.execute("ALTER TABLE journal ADD COLUMN grant_id TEXT")
    op.execute("CREATE INDEX ix_journal_grant ON journal (grant_id)")


def downgrade() -> None:
    op.execute("DROP INDEX ix_journal_grant")
    op.execute("ALTER TABLE journal DROP COLUMN grant_id")
    op.execute("DROP TABLE grants")
