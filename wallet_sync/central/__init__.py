"""The central service: the FastAPI app terminals sync to and head office administers.

- `tables` (every ORM table, one `Base`) and `db` (engine, `Database.read`/`write`); Alembic
  migrations under `migrations/`.
- Services, one module per job (enrollment, ingest + applying + points, authorize, changes,
  cards, accounts, escrow, members, programs, staff, code_pool, conflicts, exposure, auth):
  they take a SQLAlchemy Session inside a transaction the caller opened and refuse with the
  domain errors of `errors`, never with HTTP.
- `office/`: the head-office console's services (users, sessions, audit, reports, program
  drafts and the simulator, customers), served as pages at /office.
- `routes/`: one APIRouter per area, the callers' checks and the one place where a refusal
  becomes an HTTP status; `app.create_app` puts them together.
"""
