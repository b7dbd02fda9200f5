"""Alembic environment for the terminal's SQLite store. Run programmatically by
`pos_app.terminal.database.migrate`, which passes an open connection already inside a
BEGIN IMMEDIATE transaction: the whole upgrade commits or rolls back as one, and two processes
opening a fresh HOME at once cannot both run it."""

from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=None, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
