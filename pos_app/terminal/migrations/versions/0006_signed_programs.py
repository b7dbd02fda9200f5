"""Programs as central signed them: each program row keeps central's signature over its
version (`signature`, base64url), checked whenever the terminal decides with it
(pos_app.terminal.program_cache). Rows stored before this have none and cannot be used; the
pull cursor goes back to the start so the next sync brings every program again, signed (a
one-time re-pull of the replica, compacted: each card and program once).

Revision ID: 0006
Revises: 0005
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE programs ADD COLUMN signature TEXT")
    op.execute("UPDATE meta SET value = '0' WHERE key = 'cursor' "
               "AND EXISTS (SELECT 1 FROM programs)")


def downgrade() -> None:
    op.execute("ALTER TABLE programs DROP COLUMN signature")
