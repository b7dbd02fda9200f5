"""Stores as central knows them: a row made the first time an enroll code or a staff member
names the store. Made with `INSERT ... ON CONFLICT DO NOTHING`, because two head-office calls
for a new store can run at once on PostgreSQL (a get-then-add let one of them fail with a
unique violation, a 500)."""

from __future__ import annotations

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from wallet_sync.central.tables import StoreRow


def ensure_store(session: Session, store: str, now: int) -> None:
    """The store's row exists after this, whoever made it."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(insert(StoreRow).values(id=store, created_at=now)
                    .on_conflict_do_nothing(index_elements=[StoreRow.id]))
