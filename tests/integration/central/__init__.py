"""Integration tests of the central service (real SQLite files, real PostgreSQL, real HTTP)."""
