"""Secrets at rest (issue 13): card codes in the `cards` replica become keyed hashes
(`h:` + HMAC-SHA256 with the terminal's data key, data_keys.card_id) and staff PIN hashes are
sealed (AES-GCM). A migration has no key, so it only flags the work: the terminal does it at
its first start with the key (at_rest.seal_at_rest), in one transaction, and clears the
flag; each step skips rows already done, so a crash midway repeats it harmlessly.

Revision ID: 0007
Revises: 0006
"""

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("INSERT INTO meta (key, value) VALUES ('secrets_pending', '1') "
               "ON CONFLICT(key) DO UPDATE SET value = '1'")


def downgrade() -> None:
    # Hashed codes cannot be turned back into codes: a downgraded terminal re-pulls its cards.
    op.execute("DELETE FROM cards WHERE code LIKE 'h:%'")
    op.execute("UPDATE meta SET value = '0' WHERE key = 'cursor'")
    op.execute("DELETE FROM meta WHERE key IN ('secrets_pending', 'login_mac')")
