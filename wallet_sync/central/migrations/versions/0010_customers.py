"""Customers as first-class (issue 17): the profile and contact data apart from the member
(so erasure can delete it), marketing consent per channel (insert-only) and double opt-in
tokens, the facts derived from the journal on the member row, custom events with their
idempotency keys, the attribute schema, and a gift card's customer.

Revision ID: 0010
Revises: 0009 (re-chained after 0009 at merge)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lifetime_spend", sa.BigInteger(), server_default="0",
                                      nullable=False))
        batch_op.add_column(sa.Column("last_visit", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("counters", sa.JSON(), server_default="{}",
                                      nullable=False))
        batch_op.add_column(sa.Column("facts_at", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("erased_at", sa.BigInteger(), nullable=True))
    with op.batch_alter_table("cards", schema=None) as batch_op:
        batch_op.add_column(sa.Column("customer", sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f("ix_cards_customer"), ["customer"], unique=False)
    op.create_table(
        "customer_profiles",
        sa.Column("member", sa.String(length=64), nullable=False),
        sa.Column("birthday", sa.String(length=10), nullable=True),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("phone", sa.String(length=32), nullable=True),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["member"], ["members.code"]),
        sa.PrimaryKeyConstraint("member"),
    )
    op.create_table(
        "customer_schema",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    op.create_table(
        "consents",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("member", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("at", sa.BigInteger(), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["member"], ["members.code"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_consents_member_channel", "consents", ["member", "channel"],
                    unique=False)
    op.create_table(
        "consent_tokens",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("member", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("expires_at", sa.BigInteger(), nullable=False),
        sa.Column("used_at", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(["member"], ["members.code"]),
        sa.PrimaryKeyConstraint("token_hash"),
    )
    op.create_index(op.f("ix_consent_tokens_member"), "consent_tokens", ["member"],
                    unique=False)
    op.create_table(
        "customer_events",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("member", sa.String(length=64), nullable=False),
        sa.Column("event", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("key", sa.String(length=128), nullable=False),
        sa.Column("at", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("points", sa.BigInteger(), nullable=False),
        sa.Column("rules", sa.JSON(), nullable=False),
        sa.Column("answer", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["member"], ["members.code"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("source", "key", name="uq_customer_events_key"),
    )
    op.create_index("ix_customer_events_member_event", "customer_events", ["member", "event"],
                    unique=False)


def downgrade() -> None:
    op.drop_index("ix_customer_events_member_event", table_name="customer_events")
    op.drop_table("customer_events")
    op.drop_index(op.f("ix_consent_tokens_member"), table_name="consent_tokens")
    op.drop_table("consent_tokens")
    op.drop_index("ix_consents_member_channel", table_name="consents")
    op.drop_table("consents")
    op.drop_table("customer_schema")
    op.drop_table("customer_profiles")
    with op.batch_alter_table("cards", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cards_customer"))
        batch_op.drop_column("customer")
    with op.batch_alter_table("members", schema=None) as batch_op:
        for column in ("erased_at", "facts_at", "counters", "last_visit", "lifetime_spend"):
            batch_op.drop_column(column)
