"""Initial terminal schema: meta, append-only journal, cards and programs replicas.

Revision ID: 0001
Revises:
"""

from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    # The journal is the terminal's signed record of what it did. Columns beside data/sig are
    # copies of body fields for indexed queries (outbox, offline caps, balance view); `terminal
    # verify` checks they match the signed body.
    op.execute(
        """CREATE TABLE journal (
            seq INTEGER PRIMARY KEY,
            hash BLOB NOT NULL UNIQUE,
            data BLOB NOT NULL,
            sig BLOB NOT NULL,
            op TEXT NOT NULL,
            card TEXT,
            program TEXT,
            amount INTEGER NOT NULL,
            currency TEXT,
            offline INTEGER NOT NULL,
            wall_ms INTEGER NOT NULL,
            request_id TEXT
        )"""
    )
    op.execute("CREATE INDEX ix_journal_card_seq ON journal (card, seq)")
    # Append-only, enforced by the database itself rather than by code discipline.
    op.execute(
        "CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal "
        "BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END"
    )
    op.execute(
        "CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal "
        "BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END"
    )
    # balance_minor is central's balance as of acked_seq (this terminal's entries included up
    # to it); balance is the cached local view = balance_minor - own redeems with seq > acked_seq.
    op.execute(
        """CREATE TABLE cards (
            code TEXT PRIMARY KEY,
            program TEXT NOT NULL,
            currency TEXT NOT NULL,
            state TEXT NOT NULL,
            balance_minor INTEGER NOT NULL,
            acked_seq INTEGER NOT NULL,
            balance INTEGER NOT NULL,
            expires_at INTEGER,
            change_seq INTEGER NOT NULL
        )"""
    )
    op.execute(
        """CREATE TABLE programs (
            id TEXT PRIMARY KEY,
            version INTEGER NOT NULL,
            definition TEXT NOT NULL,
            change_seq INTEGER NOT NULL
        )"""
    )


def downgrade() -> None:
    for table in ("programs", "cards", "journal", "meta"):
        op.execute(f"DROP TABLE {table}")
