"""Orders (issue 16): every spend belongs to an order. `orders` keeps the basket as the host or
the cashier gave it (lines, or only a total), `order_parts` one row per journal entry of the
order in the order they were committed — a view of the journal (each entry also names its order
in `extra.order`), written in the same transaction as the entry and never updated, so a refund
can find what it points at.

Revision ID: 0009_orders
Revises: 0007
"""

from alembic import op

revision = "0009_orders"
down_revision = "0008_limit_shares"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # basket: {"currency", "total", "lines": [[sku, category, qty, unit_price], ...]} (minor
    # units), as core.rules.basket.Basket holds it.
    op.execute(
        """CREATE TABLE orders (
            id TEXT PRIMARY KEY,
            currency TEXT NOT NULL,
            total INTEGER NOT NULL,
            basket TEXT NOT NULL,
            created_ms INTEGER NOT NULL
        )"""
    )
    # lines: the eligible line indices of a restricted card (JSON), NULL for the whole order.
    # Keyed by (order, seq), not seq alone: the journal is the truth, and a part whose entry is
    # no longer the one at its seq (a tampered journal, which `verify` reports) is ignored by
    # the readers rather than blocking the next sale.
    op.execute(
        """CREATE TABLE order_parts (
            order_id TEXT NOT NULL REFERENCES orders (id),
            seq INTEGER NOT NULL,
            op TEXT NOT NULL,
            program TEXT NOT NULL,
            card TEXT NOT NULL,
            reward TEXT NOT NULL DEFAULT '',
            amount INTEGER NOT NULL,
            lines TEXT,
            combine INTEGER NOT NULL DEFAULT 1,
            PRIMARY KEY (order_id, seq)
        )"""
    )
    for table in ("order_parts", "orders"):
        op.execute(f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
                   "BEGIN SELECT RAISE(ABORT, 'orders are append-only'); END")
        op.execute(f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
                   "BEGIN SELECT RAISE(ABORT, 'orders are append-only'); END")


def downgrade() -> None:
    for table in ("order_parts", "orders"):
        op.execute(f"DROP TRIGGER {table}_no_update")
        op.execute(f"DROP TRIGGER {table}_no_delete")
    op.execute("DROP TABLE order_parts")
    op.execute("DROP TABLE orders")
