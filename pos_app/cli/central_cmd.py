"""`walletpos central init|migrate|serve`: prepare a central database (Alembic migrations,
signing key, an admin key printed once), migrate one after an upgrade, and run the central API
under uvicorn. `--db` takes a SQLAlchemy URL (`postgresql+psycopg://...` in production) or a
SQLite file path; it defaults to a SQLite file in the user data directory."""

from __future__ import annotations

import os
from pathlib import Path

import typer
from platformdirs import user_data_dir

from pos_app.cli.output import emit, fail

app = typer.Typer(no_args_is_help=True, help="Run and initialise the central service.")
admin_app = typer.Typer(no_args_is_help=True,
                        help="Head-office jobs run on central's own database (no API key).")
app.add_typer(admin_app, name="admin")


def default_db() -> str:
    return "sqlite:///" + str(Path(user_data_dir("walletpos")) / "central.db")


DbOption = typer.Option(None, "--db", envvar="WALLETPOS_CENTRAL_DB",
                        help="Database URL or SQLite file (default: user data dir).")


def _db(db: str | None) -> str:
    url = db or default_db()
    # A folder we make is the OS user's alone, like the database file in it (`db.py`).
    if url.startswith("sqlite:///"):
        os.makedirs(os.path.dirname(os.path.abspath(url[len("sqlite:///"):])), mode=0o700,
                    exist_ok=True)
    elif "://" not in url:
        os.makedirs(os.path.dirname(os.path.abspath(os.path.expanduser(url))), mode=0o700,
                    exist_ok=True)
    return url


@app.command("init")
def init(db: str | None = DbOption,
         as_json: bool = typer.Option(False, "--json", help="Machine-readable output.")) -> None:
    """Create or migrate the schema, make the central key if missing, print a new admin key."""
    from core.errors import WalletError
    from wallet_sync.central.setup import init_central

    try:
        result = init_central(_db(db))
    except WalletError as exc:  # a key this machine cannot decrypt
        fail(exc.reason, exc.message, as_json)
    except Exception as exc:  # a CLI must turn any database failure into a clear error
        fail("init_failed", f"{type(exc).__name__}: {exc}", as_json)
    emit(result, as_json,
         f"central ready ({result['db']}), key id {result['key_id']}\n"
         f"signing key secret: {result['key_secret']} (back it up apart from the database)\n"
         f"admin key (shown once): {result['admin_key']}")


@app.command("migrate")
def migrate(db: str | None = DbOption,
            as_json: bool = typer.Option(False, "--json", help="Machine-readable output.")
            ) -> None:
    """Bring the schema to the newest revision (after an upgrade); makes no key."""
    from wallet_sync.central.migrate import upgrade

    url = _db(db)
    try:
        upgrade(url)
    except Exception as exc:  # as in init: a database failure is a clear error, not a trace
        fail("migrate_failed", f"{type(exc).__name__}: {exc}", as_json)
    emit({"migrated": True}, as_json, "central schema is current")


@app.command("serve")
def serve(db: str | None = DbOption,
          host: str = typer.Option("127.0.0.1", "--host"),
          port: int = typer.Option(8750, "--port"),
          workers: int = typer.Option(1, "--workers", min=1, max=64,
                                      help="uvicorn worker processes (use PostgreSQL for >1)."),
          read_db: str | None = typer.Option(
              None, "--read-db", envvar="WALLETPOS_CENTRAL_READ_DB",
              help="A PostgreSQL streaming standby of --db: terminals' pulls and head "
                   "office's reports read there when it has caught up."),
          ) -> None:
    """Serve the central API (terminals and admin) until interrupted."""
    from wallet_sync.central.keys import KeyUnavailable
    from wallet_sync.central.server import serve as run

    try:
        run(_db(db), host, port, workers, read_url=read_db)
    except KeyUnavailable as exc:  # a copied database without its key's secret
        fail(exc.reason, exc.message, False)
    except RuntimeError as exc:
        fail("not_initialised", str(exc), False)
    except ValueError as exc:  # a standby that is not PostgreSQL beside a PostgreSQL primary
        fail("bad_read_db", str(exc), False)


@app.command("recompute-segments")
def recompute_segments(db: str | None = DbOption,
                       as_json: bool = typer.Option(False, "--json",
                                                    help="Machine-readable output.")) -> None:
    """Recompute every member's segments now (what serve does once a day); members whose
    segments moved get a new change, so they ship to terminals at their next sync."""
    import time

    from wallet_sync.central.db import Database
    from wallet_sync.central.segments import recompute_batched

    database = Database(_db(db))
    try:
        done = recompute_batched(database, int(time.time()))
    except Exception as exc:  # as in migrate: a database failure is a clear error, not a trace
        fail("recompute_failed", f"{type(exc).__name__}: {exc}", as_json)
    finally:
        database.dispose()
    emit({"segments": done}, as_json,
         f"{done['segments']} segments over {done['members']} members: "
         f"{done['changed']} members moved")


@app.command("run-jobs")
def run_jobs(db: str | None = DbOption,
             as_json: bool = typer.Option(False, "--json", help="Machine-readable output.")
             ) -> None:
    """One pass of what serve's automation thread does: due schedules become jobs, then due
    webhook deliveries, trigger runs and messages (safe beside running servers: jobs are
    taken with FOR UPDATE SKIP LOCKED on PostgreSQL)."""
    from wallet_sync.central.app import open_central_key
    from wallet_sync.central.automation import Automation
    from wallet_sync.central.db import Database
    from wallet_sync.central.keys import KeyUnavailable

    database = Database(_db(db))
    try:
        try:
            key = open_central_key(database)
        except KeyUnavailable as exc:
            fail(exc.reason, exc.message, as_json)
        except RuntimeError as exc:
            fail("not_initialised", str(exc), as_json)
        automation = Automation(database, key)
        try:
            done = automation.run_pass()
        except Exception as exc:  # as in migrate: a database failure is a clear error
            fail("jobs_failed", f"{type(exc).__name__}: {exc}", as_json)
        finally:
            automation.close()
    finally:
        database.dispose()
    emit({"jobs": done}, as_json,
         ", ".join(f"{k} {v}" for k, v in sorted(done.items())) or "nothing due")


@admin_app.command("decommission-terminal")
def decommission_terminal(
        terminal: str = typer.Argument(..., help="Terminal id, e.g. T-1A2B3C4D"),
        reason: str = typer.Option(..., "--reason", help="Why; kept on record"),
        db: str | None = DbOption,
        as_json: bool = typer.Option(False, "--json", help="Machine-readable output.")) -> None:
    """Retire a terminal on this central's database: what `walletpos admin ...
    decommission-terminal` asks over the API (refused `too_early` until its maximum offline
    time has passed; then its grants and unused codes come back)."""
    import time

    from pos_app.cli.output import iso
    from wallet_sync.central.db import Database
    from wallet_sync.central.decommission import decommission
    from wallet_sync.central.errors import Refusal

    database = Database(_db(db))
    try:
        with database.write() as session:
            done = decommission(session, terminal, reason, "cli:central-admin", int(time.time()))
    except Refusal as exc:
        extra = dict(exc.extra)
        message = exc.message
        if isinstance(extra.get("allowed_at"), int):
            extra["allowed_at_iso"] = iso(extra["allowed_at"])
            message += f" (allowed from {extra['allowed_at_iso']})"
        fail(exc.reason, message, as_json, **extra)
    finally:
        database.dispose()
    value = ", ".join(f"{v['amount']} {v['currency']}" for v in done["value_returned"])
    emit({"decommission": done}, as_json,
         f"{done['terminal']}: decommissioned; {done['grants_returned']} grants returned "
         f"({value or 'nothing'}), {done['codes_released']} codes released")
