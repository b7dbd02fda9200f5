"""An existing central database upgrades in place (SQLite and PostgreSQL): a database at the
first schema, with cards and holds in it, comes to the head revision with each card's escrow
reserve set by migration 0002's data step (balance less its open holds), and every migration
also steps back down (PostgreSQL starts from the migrated template and downgrades first)."""

from __future__ import annotations

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text

from wallet_sync.central.migrate import alembic_config, upgrade


def _at_first_schema(db_url: str) -> None:
    cfg = alembic_config(db_url)
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            cfg.attributes["connection"] = conn
            if db_url.startswith("sqlite"):
                command.upgrade(cfg, "0001")
            else:  # a clone of the migrated template: every downgrade runs
                command.downgrade(cfg, "0001")
            conn.commit()
    finally:
        engine.dispose()


def test_cards_and_holds_upgrade_with_their_reserves(db_url: str) -> None:
    _at_first_schema(db_url)
    engine = create_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO stores (id, created_at) VALUES ('S1', 1)"))
        conn.execute(text(
            "INSERT INTO terminals (id, store, name, public_key, status, last_seq, last_hash, "
            "enrolled_at) VALUES ('T1', 'S1', NULL, :pk, 'active', 0, :h, 1)"),
            {"pk": b"k" * 32, "h": b"\0" * 32})
        conn.execute(text(
            "INSERT INTO programs (id, version, kind, currency, definition, definition_hash, "
            "change_seq, updated_at) VALUES ('gift', 1, 'gift_card', 'EUR', '{}', 'x', 1, 1)"))
        for code, balance in (("GC-A", 5000), ("GC-B", 2000)):
            conn.execute(text(
                "INSERT INTO cards (code, program, currency, state, balance_minor, issued_at, "
                "change_seq) VALUES (:c, 'gift', 'EUR', 'active', :b, 1, 2)"),
                {"c": code, "b": balance})
        for auth, amount, consumed in (("a1", 1500, None), ("a2", 700, 4)):
            conn.execute(text(
                "INSERT INTO holds (auth_id, terminal, card, amount, expires_at, consumed_seq, "
                "created_at) VALUES (:a, 'T1', 'GC-A', :m, 99, :s, 1)"),
                {"a": auth, "m": amount, "s": consumed})
    engine.dispose()

    upgrade(db_url)

    engine = create_engine(db_url)
    with engine.connect() as conn:
        reserves = dict(conn.execute(text("SELECT code, reserve FROM cards")).all())
        head = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    engine.dispose()
    assert reserves == {"GC-A": 3500, "GC-B": 2000}  # the open hold stays promised
    assert head == ScriptDirectory.from_config(alembic_config(db_url)).get_current_head()
