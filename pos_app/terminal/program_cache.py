"""Parsed programs of the terminal's replica — only as central signed them — cached by
(id, version, definition digest).

Parsing a loyalty program with 1,000 rules and rewards (CEL compile and checks included) takes
about 350 ms, far over a quote's budget, so each version is parsed once per process. The same
parse guards the replica: `acceptable` is asked before a new version replaces the stored one
(`TerminalDB._apply_program`), so a version this build cannot read never displaces the previous
one — the terminal keeps deciding under the last version it could parse (central signed both).

Every program row keeps central's signature over its version (`protocol.program_message`).
`load` checks it against central's key each time it reads a definition from the row, so a
copy edited on disk is never decided with: it is left out, with the reason `program_tampered`
(`refusals`), and the cards of that program decline. What `load` caches is keyed by the row's
id, version, change number, signature, definition length and central's key, so an edit that
changes any of them is read (and checked) again; an edit that changes none leaves this process
deciding with the copy it already checked.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import Connection, text

from core.errors import InvalidInput, WalletError
from core.keys import public_from_bytes, unb64, verify
from core.programs import Program, program_from_dict
from wallet_sync.protocol import program_message

TAMPERED = "program_tampered"
_parsed: dict[tuple[str, int, str], Program | None] = {}
_by_row: dict[tuple[Any, ...], tuple[Program | None, str | None]] = {}
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


def central_key(conn: Connection) -> Any:
    """Central's public key as enrollment stored it (None before enrollment or if damaged)."""
    raw = conn.execute(text("SELECT value FROM meta WHERE key = 'central_public_key'")).scalar()
    try:
        return public_from_bytes(unb64(raw)) if raw else None
    except (WalletError, ValueError):
        return None


def _signed(key: Any, pid: str, version: int, definition: Any, signature: str | None) -> bool:
    if key is None or not signature or not isinstance(definition, dict):
        return False
    try:
        raw = unb64(signature)
    except WalletError:
        return False
    return verify(key, raw, program_message(pid, version, definition))


def _rows(conn: Connection) -> list[tuple[str, int, Program | None, str | None]]:
    """(id, version, program or None, why not) for every row, reading (and checking) a
    definition only when that row is not cached yet."""
    central = conn.execute(text("SELECT value FROM meta WHERE key = 'central_public_key'")
                           ).scalar()
    out = []
    for pid, version, cseq, signature, size in conn.execute(text(
            "SELECT id, version, change_seq, signature, length(definition) FROM programs "
            "ORDER BY id")):
        key = (pid, int(version), int(cseq), signature, size, central)
        if key not in _by_row:
            raw = conn.execute(text("SELECT definition FROM programs WHERE id = :i"),
                               {"i": pid}).scalar()
            try:
                definition = json.loads(raw) if raw else None
            except ValueError:
                definition = None
            if len(_by_row) >= MAX_CACHED:
                _by_row.clear()
            if not _signed(central_key(conn), pid, int(version), definition, signature):
                _by_row[key] = (None, TAMPERED)
            else:
                assert isinstance(definition, dict)
                prog = parse(pid, int(version), definition)
                _by_row[key] = (prog, None if prog is not None else "program_unavailable")
        prog, why = _by_row[key]
        out.append((pid, int(version), prog, why))
    return out


def load(conn: Connection) -> list[tuple[str, int, Program]]:
    """(id, version, program) for every program that is as central signed it and readable."""
    return [(pid, version, prog) for pid, version, prog, _ in _rows(conn) if prog is not None]


def refusals(conn: Connection) -> dict[str, str]:
    """Program id -> why it cannot be decided with (`program_tampered`: not as central signed
    it; `program_unavailable`: this build cannot read it)."""
    return {pid: why for pid, _, prog, why in _rows(conn) if prog is None and why}
