"""Issuing a batch of physical gift cards at the store (`CardIssuing`, held by
`TerminalService`), online or offline, and printing them.

Codes come from this terminal's code pool: random codes of the program's pattern that central
reserved for this terminal alone, each with its `WP1:` credential already signed by central
(wallet_sync.central.code_pool; stored under the code's keyed hash, code and QR sealed with the
terminal's data key: `data_keys.seal_pool`), so cards issued while cut off can never collide
with anyone else's and scan as genuine everywhere. The pool is filled when a manager first
issues online and topped up at every sync after that (`top_up_pools`).

A card's face value is at most the program's cap (`Program.face_value_cap`: its
`max_face_value`, else its default value); central creates no card beyond it.

A batch is one transaction: per card an `issue` journal entry (face value in `amount`,
`extra {batch, expires_at}`, the manager in `staff`), the pool row marked used with the batch
id, and an inactive card in the replica. Central creates the cards when the entries arrive
(confirmed at sync); a card that was never activated cannot be spent, and activation is
online only (card_care.activate_and_load), so issuing offline mints nothing spendable.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, text

from core.codes import CodePattern
from core.credential import read_credential
from core.dates import end_of_day
from core.errors import CredentialInvalid, Declined, InvalidInput
from core.money import format_minor, parse_minor
from core.text_input import check_text
from pos_app.terminal import replica
from pos_app.terminal.context import TerminalContext
from pos_app.terminal.staff_login import StaffLogin
from wallet_sync import agent
from wallet_sync.client import CentralRefused, CentralUnreachable
from wallet_sync.protocol import MAX_CODE_POOL

POOL_TARGET = 200  # codes kept ready per program once a terminal issues cards
POOL_LOW = 100  # a sync tops the pool up when fewer than this are left
MAX_BATCH = 500  # cards in one batch (one sheet run at the printer)
QUICK_TIMEOUT_S = 2.0  # asking central before a batch: past this, issue offline
LAYOUTS = ("a4", "letter", "card")


class CardIssuing:
    """A manager's batches of physical cards, from this terminal's code pool. `sync` is the
    terminal's full sync (a batch issued online is handed to central at once)."""

    def __init__(self, ctx: TerminalContext, staff: StaffLogin, sync: Callable[[], object]
                 ) -> None:
        self._ctx = ctx
        self._staff = staff
        self._sync = sync

    # ---- the pool ---------------------------------------------------------------------------

    def _gift_program(self, conn: Connection, program: str) -> replica.ReplicaProgram:
        check_text(program, "program", 64)
        found = replica.load_programs(conn).get(program)
        if found is None or found.program.kind != "gift_card" or not found.program.code_pattern:
            raise Declined(f"{program!r} is not a gift-card program of this store",
                           "unknown_program")
        return found

    @staticmethod
    def _free(conn: Connection, program: str) -> int:
        return int(conn.execute(text(
            "SELECT COUNT(*) FROM code_pool WHERE program = :p AND used_seq IS NULL"),
            {"p": program}).scalar_one())

    def issuing_programs(self) -> list[dict[str, Any]]:
        """The gift-card programs a manager may issue, with their defaults and how many codes
        are ready for issuing offline."""
        with self._ctx.db.read() as conn:
            programs = replica.load_programs(conn)
            out = []
            for pid, entry in sorted(programs.items()):
                p = entry.program
                if p.kind != "gift_card" or not p.code_pattern:
                    continue
                out.append({"program": pid, "name": dict(p.name) or {"en": pid},
                            "currency": p.currency, "pattern": p.code_pattern,
                            "default_value": format_minor(p.default_value or 0, p.currency),
                            "expiry_months": p.expiry_months, "expiry_days": p.expiry_days,
                            "expiry_date": p.expiry_date.isoformat() if p.expiry_date else None,
                            "ready_offline": self._free(conn, pid)})
        return out

    def top_up_pool(self, program: str, target: int = POOL_TARGET, quick: bool = False) -> int:
        """Ask central for this terminal's codes of PROGRAM up to TARGET; returns how many are
        free here after. Raises CentralUnreachable/CentralRefused when central does not give.
        `quick`: one try with a short timeout (a manager is waiting to issue)."""
        ident = self._ctx.identity()
        with self._ctx.db.read() as conn:
            entry = self._gift_program(conn, program)
        target = max(1, min(target, MAX_CODE_POOL))
        options = {"timeout": QUICK_TIMEOUT_S, "retries": 0} if quick else {}
        with self._ctx.client(ident, **options) as client:
            codes = client.code_pool(program, target)
        keys = {ident.central_key_id: ident.central_key}
        pattern = CodePattern(entry.program.code_pattern or "")
        rows = []
        for code, qr in codes:
            try:  # central's signature, this code, this program's currency and shape
                cred = read_credential(qr, keys)
            except CredentialInvalid as exc:
                raise CentralRefused("bad_response", 200,
                                     message=f"code pool credential: {exc.message}") from exc
            if (cred.code != code or cred.kind != "gift_card"
                    or cred.currency != entry.program.currency or not pattern.is_valid(code)):
                raise CentralRefused("bad_response", 200,
                                     message=f"code pool credential does not fit {code}")
            rows.append({"c": code, "p": program, "q": qr})
        with self._ctx.db.write() as conn:
            if rows:  # codes already here (used or not) stay as they are
                conn.execute(text("INSERT INTO code_pool (code, program, qr) VALUES "
                                  "(wp_card_key(:c), :p, wp_seal_pool(:c, :q)) "
                                  "ON CONFLICT(code) DO NOTHING"), rows)
            return self._free(conn, program)

    def top_up_pools(self) -> dict[str, int]:
        """After a sync: refill the pools this terminal has started that are running low.
        Best effort: a failure leaves the pool as it is for the next sync."""
        with self._ctx.db.read() as conn:
            low = [r[0] for r in conn.execute(text(
                "SELECT program FROM code_pool GROUP BY program "
                "HAVING SUM(used_seq IS NULL) < :low"), {"low": POOL_LOW})]
        done: dict[str, int] = {}
        for program in low:
            try:
                done[program] = self.top_up_pool(program)
            except (CentralUnreachable, CentralRefused, agent.CentralError, Declined):
                continue
        return done

    def _open(self, rows: Any) -> list[tuple[str, str]]:
        """(code, QR) of pool rows: they are stored under the code's keyed hash with both
        sealed (data_keys.seal_pool), so only this terminal's key reads them."""
        keys = self._ctx.db.data_keys()
        out = []
        for stored, sealed in rows:
            opened = keys.open_pool(stored, sealed)
            if opened is None:  # edited or moved in the file: never printed or issued
                raise Declined(f"code pool row {stored[:12]}… does not open with this "
                               "terminal's key", "code_pool_tampered")
            out.append(opened)
        return out

    # ---- issuing ----------------------------------------------------------------------------

    def _expiry(self, entry: replica.ReplicaProgram, expires: str | None, now_s: int
                ) -> int | None:
        if expires is None or not expires.strip():
            return entry.program.card_expiry(now_s)
        try:
            day = dt.date.fromisoformat(expires.strip())
        except ValueError:
            raise InvalidInput("an expiry date is YYYY-MM-DD", "invalid_date") from None
        at = end_of_day(day)
        if at <= now_s:
            raise InvalidInput("the expiry date has passed", "invalid_date")
        return at

    def issue_cards(self, program: str, count: int, staff: str, value: str | None = None,
                    expires: str | None = None) -> dict[str, Any]:
        """Issue COUNT inactive cards of PROGRAM worth VALUE each (the program's default when
        None), expiring on EXPIRES (YYYY-MM-DD; the program's rule when None). Works offline
        while the code pool lasts."""
        manager = self._staff.manager(staff).id
        if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_BATCH:
            raise InvalidInput(f"a batch is 1 to {MAX_BATCH} cards", "invalid_count")
        now_ms = self._ctx.now_ms()
        with self._ctx.db.read() as conn:
            entry = self._gift_program(conn, program)
            free = self._free(conn, program)
        p = entry.program
        minor = parse_minor(value, p.currency, allow_zero=True) if value not in (None, "") \
            else (p.default_value or 0)
        if minor < 0:
            raise InvalidInput("a card's value cannot be negative", "invalid_amount")
        if minor > p.face_value_cap:  # central creates no card beyond it
            cap = format_minor(p.face_value_cap, p.currency)
            raise Declined(f"a {p.id} card issued here carries at most {cap} {p.currency}",
                           "over_value_cap")
        expires_at = self._expiry(entry, expires, now_ms // 1000)
        online = False
        try:  # tells whether central answers (the entries say so) and keeps the pool full
            free = self.top_up_pool(program, max(count, POOL_TARGET), quick=True)
            online = True
        except (CentralUnreachable, CentralRefused, agent.CentralError):
            pass  # issue offline from what is here, if it is enough
        if free < count:
            raise Declined(f"{free} codes are ready for issuing offline; connect to head "
                           "office to issue more", "code_pool_short")
        batch = dt.datetime.fromtimestamp(now_ms / 1000, dt.UTC).strftime("%Y%m%d-%H%M%S-") \
            + secrets.token_hex(2)
        cards: list[dict[str, str]] = []
        with self._ctx.db.write() as conn:
            picked = self._open(conn.execute(text(
                "SELECT code, qr FROM code_pool WHERE program = :p AND used_seq IS NULL "
                "AND code NOT IN (SELECT code FROM cards) ORDER BY code LIMIT :n"),
                {"p": program, "n": count}).all())
            if len(picked) < count:
                raise Declined(f"{len(picked)} codes are ready for issuing offline",
                               "code_pool_short")
            for code, qr in picked:
                seq = self._ctx.journal.append(
                    conn, "issue", card=code, program=program, program_version=entry.version,
                    amount=minor, currency=p.currency, staff=manager,
                    extra={"batch": batch, "expires_at": expires_at}, offline=not online,
                ).body.seq
                conn.execute(text("UPDATE code_pool SET used_seq = :s, batch = :b "
                                  "WHERE code = wp_card_key(:c)"),
                             {"s": seq, "b": batch, "c": code})
                conn.execute(text(
                    "INSERT INTO cards (code, program, currency, state, balance_minor, acked_seq, "
                    "balance, expires_at, change_seq) VALUES (wp_card_key(:c), :p, :cur, "
                    "'inactive', :v, :s, :v, :e, 0)"),
                    {"c": code, "p": program, "cur": p.currency, "v": minor,
                     "s": seq, "e": expires_at})
                cards.append({"code": code, "qr": qr})
        synced = False
        if online:  # central answered a moment ago: hand it the batch now
            try:
                self._sync()
                synced = True
            except (CentralUnreachable, CentralRefused, agent.CentralError):
                pass  # journaled: the next sync delivers it
        return {"status": "issued", "batch": batch, "program": program, "count": len(cards),
                "value": format_minor(minor, p.currency), "currency": p.currency,
                "expires_at": expires_at, "offline": not online, "synced": synced,
                "cards": cards}

    def batches(self, limit: int = 20) -> list[dict[str, Any]]:
        """The latest batches issued here (newest first), for printing a sheet again."""
        with self._ctx.db.read() as conn:
            rows = conn.execute(text(
                "SELECT batch, program, COUNT(*), MIN(used_seq) FROM code_pool "
                "WHERE batch IS NOT NULL GROUP BY batch, program "
                "ORDER BY MIN(used_seq) DESC LIMIT :n"), {"n": limit}).all()
        return [{"batch": r[0], "program": r[1], "count": int(r[2]), "first_seq": int(r[3])}
                for r in rows]

    def batch_cards(self, batch: str, lang: str = "en") -> list[Any]:
        """BATCH's cards as `PrintedCard`s (code, QR credential, program name, face value at
        issue), in issue order."""
        from pos_app.printing.cards_pdf import PrintedCard

        check_text(batch, "batch", 64)
        with self._ctx.db.read() as conn:
            found = conn.execute(text(
                "SELECT p.code, p.qr, p.program, j.amount, j.currency FROM code_pool p "
                "JOIN journal j ON j.seq = p.used_seq WHERE p.batch = :b ORDER BY p.used_seq"),
                {"b": batch}).all()
            opened = self._open([(r[0], r[1]) for r in found])
            rows = [(*pair, *r[2:]) for pair, r in zip(opened, found, strict=True)]
            programs = replica.load_programs(conn)
        if not rows:
            raise Declined(f"no batch {batch!r} was issued here", "unknown_batch")

        def name(program: str) -> str:
            found = programs.get(program)
            return found.program.display_name(lang) if found else program

        return [PrintedCard(code, qr, name(program),
                            f"{format_minor(amount, currency)} {currency}" if amount else None)
                for code, qr, program, amount, currency in rows]

    def print_batch(self, batch: str, path: Path | str, layout: str = "a4",
                    lang: str = "en", brand: Path | str | None = None) -> dict[str, Any]:
        """Write BATCH's card sheet (CR80 cards, crop marks; `card` = one card per page for a
        card printer) to PATH."""
        cards = self.batch_cards(batch, lang)
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        return write_sheet(cards, path, layout, brand) | {"batch": batch}


def write_sheet(cards: list[Any], path: Path | str, layout: str,
                brand: Path | str | None = None) -> dict[str, Any]:
    """The PDF sheet of CARDS (PrintedCard); a file that cannot be written is a Declined."""
    from pos_app.printing.brand import load_brand
    from pos_app.printing.cards_pdf import write_card_sheet

    if layout not in LAYOUTS:
        raise InvalidInput(f"layout is one of {', '.join(LAYOUTS)}", "invalid_input")
    try:
        with open(path, "wb"):  # QPdfWriter fails silently: find out here, with the reason
            pass
        pages = write_card_sheet(path, cards, layout=layout, brand=load_brand(brand))
    except OSError as exc:
        raise Declined(f"cannot write {path}: {exc.strerror or exc}", "unwritable_file") from exc
    return {"file": str(path), "layout": layout, "pages": pages, "cards": len(cards)}
