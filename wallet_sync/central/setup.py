"""`central init` as a function: migrate the schema to head, make central's signing key if
there is none (encrypted, its secret kept outside the database: `key_secret`; `key_secret` in
the answer says where, for the backup), and mint an admin API key. Safe to run again (a new
admin key each time); a key a database from before holds in the clear is encrypted here."""

from __future__ import annotations

from typing import Any

from wallet_sync.central.auth import create_api_key
from wallet_sync.central.db import Database
from wallet_sync.central.keys import ensure_central_key
from wallet_sync.central.migrate import upgrade


def init_central(db_url: str) -> dict[str, Any]:
    db = Database(db_url)
    try:
        upgrade(db.url, db.engine)
        with db.write() as session:
            key, created, secret = ensure_central_key(session)
            admin_key = create_api_key(session)
        return {"admin_key": admin_key, "key_id": key.key_id, "key_created": created,
                "key_secret": secret,
                "db": db.engine.url.render_as_string(hide_password=True)}
    finally:
        db.dispose()
