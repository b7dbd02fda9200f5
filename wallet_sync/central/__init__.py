"""The central service: the FastAPI app terminals sync to and head office administers, its
database (SQLAlchemy 2 + Alembic), and one module per job (enrollment, ingest, authorize,
changes, cards, programs, conflicts, admin keys). Services take a SQLAlchemy Session inside a
transaction the caller opened; the app decides transaction boundaries."""
