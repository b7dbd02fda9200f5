"""Parsed programs of the terminal's replica, cached by (id, version, definition digest).

Parsing a loyalty program with 1,000 rules and rewards (CEL compile and checks included) takes
about 350 ms, far over a quote's budget, so each version is parsed once per process. The same
parse guards the replica: `acceptable` is asked before a new version replaces the stored one
(`Store._apply_program`), so a version this build cannot read never displaces the previous
one — the terminal keeps deciding under the last version it could parse (central signed both).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import Connection, text

from core.errors import InvalidInput
from core.programs import Program, program_from_dict

_parsed: dict[tuple[str, int, str], Program | None] = {}
_by_row: dict[tuple[str, int, int], Program | None] = {}
MAX_CACHED = 512


def _digest(definition: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(definition, sort_keys=True).encode()).hexdigest()


def parse(pid: str, version: int, definition: dict[str, Any]) -> Program | None:
    """The parsed program, or None when this build cannot read the definition."""
    key = (pid, version, _digest(definition))
    if key not in _parsed:
        if len(_parsed) >= MAX_CACHED:
            _parsed.clear()
        try:
            _parsed[key] = program_from_dict(definition, f"program {pid}", version)
        except (InvalidInput, TypeError, ValueError):
            _parsed[key] = None
    return _parsed[key]


def acceptable(pid: str, version: int, definition: dict[str, Any]) -> bool:
    return parse(pid, version, definition) is not None


def load(conn: Connection) -> list[tuple[str, int, Program]]:
    """(id, version, program) for every readable program, reading a definition only when that
    row (id, version, change_seq) is not cached yet."""
    out = []
    for pid, version, cseq in conn.execute(text("SELECT id, version, change_seq FROM programs "
                                                "ORDER BY id")):
        key = (pid, int(version), int(cseq))
        if key not in _by_row:
            raw = conn.execute(text("SELECT definition FROM programs WHERE id = :i"),
                               {"i": pid}).scalar()
            if len(_by_row) >= MAX_CACHED:
                _by_row.clear()
            _by_row[key] = parse(pid, int(version), json.loads(raw)) if raw else None
        prog = _by_row[key]
        if prog is not None:
            out.append((pid, int(version), prog))
    return out
