"""Staff replica: the store's cashiers and managers with the argon2 hash of each PIN, as central
sent them in the change feed, so a PIN is checked with no network (pos_app.terminal.staff).
Failed logins are counted in `meta` (login_failures, login_locked_until_ms) so a restart does not
reset a lockout.

Revision ID: 0004
Revises: 0003
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """CREATE TABLE staff (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            role TEXT NOT NULL,
            pin_hash TEXT NOT NULL,
            active INTEGER NOT NULL,
            change_seq INTEGER NOT NULL
        )"""
    )


def downgrade() -> None:
    op.execute("DROP TABLE staff")
