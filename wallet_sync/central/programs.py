"""Program definitions on central: loading a YAML/JSON file (validated by
`core.programs.parse_programs`), versioning, and parsed-program lookup for the services.

A program whose definition changed gets version + 1 and a new change_seq; an unchanged one is
left alone, so loading the same file twice publishes nothing. Every published version is also
kept in `program_versions` (insert-only): central re-checks an offline entry under the version
it names (`version_of`), and knows which version was in force when (`in_force_at`). Programs
missing from a file are kept (cards still refer to them). A program's kind and currency are
frozen once it has cards: changing them would silently reinterpret every balance.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from core.errors import InvalidInput
from core.programs import Program as ProgramDef
from core.programs import parse_programs, program_from_dict
from wallet_sync.central import referral_definition, segments, trigger_definitions
from wallet_sync.central.change_seq import allocate
from wallet_sync.central.customer_schema import save_schema
from wallet_sync.central.errors import Invalid, StateConflict
from wallet_sync.central.tables import Card, Program, ProgramVersion

_parsed: dict[tuple[str, int, str], ProgramDef] = {}


def _jsonable(value: Any) -> Any:
    # YAML turns unquoted dates into date objects; keep them as the ISO text the author wrote.
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON data")


def _string_keys(value: Any) -> Any:
    """JSON needs string keys (YAML allows numbers as keys)."""
    if isinstance(value, dict):
        return {str(k): _string_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_string_keys(v) for v in value]
    return value


def canonical_definition(raw: dict[str, Any]) -> tuple[dict[str, Any], str]:
    try:
        text = json.dumps(_string_keys(raw), sort_keys=True, separators=(",", ":"),
                          ensure_ascii=False, default=_jsonable)
    except (TypeError, ValueError) as exc:
        raise Invalid("invalid_program", f"program {raw.get('id')!r}: {exc}") from exc
    return json.loads(text), hashlib.sha256(text.encode("utf-8")).hexdigest()


def load_programs(session: Session, source: str, fmt: str, filename: str | None,
                  now: int) -> list[dict[str, Any]]:
    try:
        program_set = parse_programs(source, fmt, filename or "programs")
    except InvalidInput as exc:
        raise Invalid(exc.reason, exc.message) from exc
    save_schema(session, program_set.customer_attributes)
    segments_changed = segments.save_definitions(session, program_set.segments)
    trigger_definitions.save_definitions(session, program_set.triggers)
    referral_definition.save_definition(session, program_set.referral)
    staged: list[tuple[ProgramDef, dict[str, Any], str, Program | None]] = []
    for prog in program_set.programs:
        definition, digest = canonical_definition(prog.raw)
        row = session.get(Program, prog.id, with_for_update=True)
        if row is not None and (row.kind != prog.kind or row.currency != prog.currency):
            has_cards = session.scalar(select(exists().where(Card.program == prog.id)))
            if has_cards:
                raise StateConflict("program_locked",
                                    f"program {prog.id}: kind and currency cannot change once "
                                    "cards are issued")
        staged.append((prog, definition, digest, row))
    changed = [s for s in staged if s[3] is None or s[3].definition_hash != s[2]]
    first = allocate(session, len(changed)) if changed else 0
    results: list[dict[str, Any]] = []
    for prog, definition, digest, row in staged:
        if row is not None and row.definition_hash == digest:
            results.append({"id": prog.id, "version": row.version, "changed": False})
            continue
        seq = first
        first += 1
        if row is None:
            row = Program(id=prog.id, version=1, kind=prog.kind, currency=prog.currency,
                          definition=definition, definition_hash=digest, change_seq=seq,
                          updated_at=now)
            session.add(row)
        else:
            row.version += 1
            row.kind, row.currency = prog.kind, prog.currency
            row.definition, row.definition_hash = definition, digest
            row.change_seq, row.updated_at = seq, now
        session.add(ProgramVersion(program=prog.id, version=row.version, definition=definition,
                                   definition_hash=digest, published_at=now))
        results.append({"id": prog.id, "version": row.version, "changed": True})
    session.flush()
    if segments_changed:  # new definitions apply to everyone now, not at tomorrow's pass
        segments.recompute_all(session, now)
    return results


# Keyed by the database too: a process serving (or testing) more than one central must not
# answer one database's "club" v1 with another's.
_versions: dict[tuple[str, str, int], ProgramDef | None] = {}


def version_of(session: Session, program: str, version: int | None) -> ProgramDef | None:
    """The program as it was at `version` (parsed once per version). A version older than any
    central kept (published before versions were kept) reads as the oldest kept one; a version
    central never published is None."""
    if version is None or isinstance(version, bool) or not 0 <= version <= 2**31:
        return None
    key = (str(session.get_bind().engine.url), program, version)
    if key not in _versions:
        row = session.get(ProgramVersion, (program, version))
        if row is None:
            oldest = session.scalars(select(ProgramVersion).where(
                ProgramVersion.program == program).order_by(ProgramVersion.version)).first()
            row = oldest if oldest is not None and version < oldest.version else None
        if row is None:
            return None  # not cached: it may be published later
        try:
            _versions[key] = program_from_dict(row.definition, f"program {program}",
                                               row.version)
        except InvalidInput:
            _versions[key] = None
    return _versions[key]


def in_force_at(session: Session, program: str, at: int) -> int | None:
    """The version of `program` in force at central time `at` (None: none was published)."""
    return session.scalar(select(ProgramVersion.version).where(
        ProgramVersion.program == program, ProgramVersion.published_at <= at)
        .order_by(ProgramVersion.version.desc()).limit(1))


def parsed(row: Program) -> ProgramDef:
    """The validated program for a stored row, parsed once per version."""
    key = (row.id, row.version, row.definition_hash)
    prog = _parsed.get(key)
    if prog is None:
        prog = program_from_dict(row.definition, f"program {row.id}")
        _parsed[key] = prog
    return prog


def code_patterns(session: Session) -> list[str]:
    return [parsed(row).code_pattern or "" for row in session.scalars(select(Program))
            if parsed(row).code_pattern]
