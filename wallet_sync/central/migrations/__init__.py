"""Alembic migrations for central's schema, run programmatically by `migrate.upgrade`."""
