"""The `customer_attributes` schema central holds: the one the last program file that
declared one gave (`load_programs` saves it; every write of a customer's attributes is checked
against it by `core.rules.attributes.check_attributes`)."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from wallet_sync.central.tables import CustomerSchema


def save_schema(session: Session, schema: dict[str, str] | None) -> None:
    """Replace the schema with SCHEMA (None: the file declares none, and the schema in force
    stays, as programs missing from a file stay)."""
    if schema is None:
        return
    session.execute(delete(CustomerSchema))
    session.add_all(CustomerSchema(name=n, type=t) for n, t in sorted(schema.items()))
    session.flush()


def schema_of(session: Session) -> dict[str, str]:
    return {r.name: r.type for r in session.scalars(select(CustomerSchema))}
