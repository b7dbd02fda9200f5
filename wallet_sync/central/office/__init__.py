"""The head-office console's services (served at /office by `routes/office_*.py`): its users,
roles and sessions, the audit log, the reports, program drafts with a second person's approval
and the simulator, and the customer view. Each module is plain functions over a SQLAlchemy
session, like the rest of central: the pages, the admin API and the CLI call the same ones, and
nothing is decided in a template."""
