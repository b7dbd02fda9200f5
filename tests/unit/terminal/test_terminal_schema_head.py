"""The store skips Alembic when the file is already at SCHEMA_HEAD, so SCHEMA_HEAD must be
Alembic's real head, or a new migration would silently never run."""

from alembic.config import Config
from alembic.script import ScriptDirectory

from pos_app.terminal.database import MIGRATIONS, SCHEMA_HEAD, TerminalDB, schema_revision


def test_schema_head_constant_is_alembics_head():
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    assert ScriptDirectory.from_config(cfg).get_current_head() == SCHEMA_HEAD


def test_a_new_store_is_migrated_to_head(tmp_path):
    store = TerminalDB.open(tmp_path)
    try:
        assert schema_revision(store.engine) == SCHEMA_HEAD
    finally:
        store.close()
