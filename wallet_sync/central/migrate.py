"""Schema migrations, run from code: no alembic.ini is needed at runtime. `upgrade` brings any
central database (SQLite file or PostgreSQL) to the head revision."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

from wallet_sync.central.db import make_engine

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(db_url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    # Percent signs in URLs (escaped passwords) would be read as interpolation otherwise.
    cfg.set_main_option("sqlalchemy.url", db_url.replace("%", "%%"))
    return cfg


def upgrade(db_url: str, engine: Engine | None = None) -> None:
    owned = engine is None
    engine = engine or make_engine(db_url)
    try:
        with engine.connect() as conn:
            cfg = alembic_config(db_url)
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
            conn.commit()
    finally:
        if owned:
            engine.dispose()
