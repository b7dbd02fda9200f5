"""Reading the local replica of programs: parsed program definitions and turning typed text
into a canonical card code with the replica's code patterns.

Programs arrive from central as data (see `TerminalDB.apply_page`); they are parsed here, on use,
and only as central signed them (`program_cache`), so one definition this build cannot read or
that was edited on disk only makes that program's cards unusable — with the reason
(`refusal`: `program_tampered`, `program_unavailable`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import Connection
from sqlalchemy import text as text_sql

from core.codes import CodePattern, normalize_code
from core.errors import InvalidCode
from core.programs import Program
from pos_app.terminal import program_cache


@dataclass(frozen=True, slots=True)
class ReplicaProgram:
    program: Program
    version: int


def load_programs(conn: Connection) -> dict[str, ReplicaProgram]:
    programs: dict[str, ReplicaProgram] = {}
    # Parsed once per version (program_cache); unreadable ones are left out, so their cards
    # decline with program_unavailable.
    for pid, version, program in program_cache.load(conn):
        programs[pid] = ReplicaProgram(program, version)
    return programs


def refusal(conn: Connection, program: str | None) -> str:
    """Why PROGRAM is not among `load_programs` (`program_tampered`, else
    `program_unavailable`)."""
    return program_cache.refusals(conn).get(program or "", "program_unavailable")


def card_patterns(programs: dict[str, ReplicaProgram]) -> list[str]:
    return sorted({p.program.code_pattern for p in programs.values()
                   if p.program.kind == "gift_card" and p.program.code_pattern})


def normalize(programs: dict[str, ReplicaProgram], text: str) -> tuple[str, ReplicaProgram]:
    """Canonical code and the program whose pattern it has; InvalidCode for typos/garbage."""
    code = normalize_code(text, card_patterns(programs))
    for entry in programs.values():
        pattern = entry.program.code_pattern
        if entry.program.kind == "gift_card" and pattern and CodePattern(pattern).is_valid(code):
            return code, entry
    raise InvalidCode("not a card code")  # unreachable when normalize_code succeeded


def normalize_known(conn: Connection, programs: dict[str, ReplicaProgram], text: str
                    ) -> tuple[str, ReplicaProgram | None]:
    """As `normalize`, and a card this replica holds under a program it cannot decide with
    (its pattern is not trusted either) is still found by its exact code, program None."""
    try:
        return normalize(programs, text)
    except InvalidCode:
        code = text.strip().upper()
        found = conn.execute(text_sql("SELECT program FROM cards WHERE code = wp_card_key(:c)"),
                             {"c": code}).first()
        if found is None or found[0] in programs:
            raise
        return code, None


def main_currency(programs: dict[str, ReplicaProgram]) -> str | None:
    """The store's currency: the one most of its programs use (ties: alphabetical); None
    before the first sync brings any program."""
    counts = Counter(entry.program.currency for entry in programs.values())
    if not counts:
        return None
    return min(counts, key=lambda cur: (-counts[cur], cur))
