"""Code pool: gift-card codes central reserved for this terminal, each with its central-signed
`WP1:` credential, so a manager can issue a batch of physical cards offline
(pos_app.terminal.issuing). `used_seq` is the journal entry that issued the code (a local
bookkeeping column, like `grants.released_seq`; the journal stays the record), `batch` groups
the codes issued together so a sheet can be printed again.

Revision ID: 0005
Revises: 0004
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """CREATE TABLE code_pool (
            code TEXT PRIMARY KEY,
            program TEXT NOT NULL,
            qr TEXT NOT NULL,
            used_seq INTEGER,
            batch TEXT
        )"""
    )
    op.execute("CREATE INDEX ix_code_pool_free ON code_pool (program, used_seq)")
    op.execute("CREATE INDEX ix_code_pool_batch ON code_pool (batch)")


def downgrade() -> None:
    op.execute("DROP TABLE code_pool")
