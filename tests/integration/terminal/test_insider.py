"""A hostile insider with the terminal's folder (its database, its key), against the real central
on loopback (issue 12). Each attack that once worked is refused, and what cannot be refused at
the till is caught by central and shown to head office:

- editing the program row lifts no offline cap: the terminal sees the copy is not as central
  signed it and decides nothing with it (`program_tampered`);
- swapping central's key in meta and signing a lifted copy with one's own fools the till, but
  central re-checks the spend against the version it signed: a case naming the rule, a flag;
- resetting the outage counters in meta buys a second offline spend of a card at the till, but
  central re-checks it, opens a case naming the rule, and flags the terminal, which then
  spends nothing offline;
- deleting an entry central saw the head of and journaling another in its place is a fork:
  central quarantines the terminal, the terminal stops spending and says why; a till fooled
  into spending after that is told again, and head office sees how far its journal went;
- a `load` signed with the terminal's own key, naming a staff id that does not exist, mints
  nothing and holds the card;
- cards issued past the program's face-value cap, or from a code central never reserved to
  this terminal, are refused at the till and, signed by hand, become cases at central and no
  card: nothing to activate, nothing to spend;
- two tills redeeming the same points at the same moment: one approval.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from terminal_live import FaultTransport, LiveCentral, issue

from core.errors import Declined
from core.keys import b64, new_private_key, public_bytes
from core.rules.choose import Choices
from pos_app.terminal.service import TerminalService
from wallet_sync.central.admin_client import AdminClient, AdminError
from wallet_sync.client import CentralRefused, software_version
from wallet_sync.protocol import program_message

HOUR_MS = 3_600_000
WALLETPOS = str(Path(sys.executable).with_name("walletpos"))


class Boot:
    """The terminal's boot clock for a test: one boot, milliseconds we move."""

    def __init__(self) -> None:
        self.ms = 1_000_000

    def __call__(self) -> tuple[str, int]:
        return "boot-1", self.ms


@pytest.fixture
def cut() -> Iterator[FaultTransport]:
    transport = FaultTransport()
    yield transport
    transport.close()


def terminal(home: Path, central: LiveCentral, admin: AdminClient, transport: FaultTransport,
             **options: Any) -> TerminalService:
    svc = TerminalService(home, transport=transport, authorize_timeout=1.5, sync_timeout=5.0,
                          retries=0, **options)
    assert "error" not in svc.enroll(central.url, admin.enroll_code("S1")["code"])["sync"]
    return svc


def offline(transport: FaultTransport, *paths: str) -> None:
    """Central unreachable for these requests (all of a terminal's when none are named)."""
    transport.down_paths = set(paths or ("/v1/authorize", "/v1/journal", "/v1/changes",
                                         "/v1/authorize-value", "/v1/authorize-points",
                                         "/v1/store/conflicts", "/v1/code-pool"))


def edit(home: Path, *statements: tuple[str, tuple[Any, ...]]) -> None:
    """What the insider does to terminal.db with the sqlite3 shell."""
    with sqlite3.connect(home / "terminal.db") as db:
        for sql, args in statements:
            db.execute(sql, args)


def admin_cli(central: LiveCentral, *args: str) -> str:
    """`walletpos admin ...` as head office runs it; its standard output."""
    return subprocess.run([WALLETPOS, "admin", "--central", central.url, "--key",
                           central.admin_key, *args],  # type: ignore[attr-defined]
                          capture_output=True, text=True, timeout=60, check=True).stdout


def cases(admin: AdminClient) -> list[tuple[str, int, str]]:
    return [(c["terminal"], c["seq"], c["reason"]) for c in admin.conflicts()["conflicts"]]


def test_an_edited_program_row_lifts_no_offline_cap(tmp_path: Path, central: LiveCentral,
                                                    admin: AdminClient,
                                                    cut: FaultTransport) -> None:
    code, = issue(admin, "store-credit", value="10.00")
    home = tmp_path / "t"
    with terminal(home, central, admin, cut) as svc:
        with sqlite3.connect(home / "terminal.db") as db:
            raw = db.execute("SELECT definition FROM programs WHERE id = 'store-credit'"
                             ).fetchone()[0]
        lifted = json.loads(raw)
        lifted["offline"].update(floor_per_transaction="5000.00", terminal_total="9000.00",
                                 max_offline_hours=100000)
        edit(home, ("UPDATE programs SET definition = ? WHERE id = 'store-credit'",
                    (json.dumps(lifted, sort_keys=True),)),
             ("UPDATE cards SET balance = 500000, balance_minor = 500000 WHERE code = ?",
              (svc.store.data_keys().card_id(code),)))
        offline(cut)
        result = svc.redeem(code, "3000.00")
        assert (result.status, result.reason, result.seq) == ("declined", "program_tampered",
                                                              None)
        assert svc.status()["last_seq"] == 0
        # The next sync brings central's signed copy back; the card decides under it again.
        cut.down_paths = set()
        svc.sync()
        again = svc.redeem(code, "3000.00")
        assert (again.status, again.reason) == ("declined", "insufficient_funds")


def test_a_program_signed_under_a_swapped_key_fools_the_till_not_central(
        tmp_path: Path, central: LiveCentral, admin: AdminClient, cut: FaultTransport) -> None:
    code, = issue(admin, "store-credit", value="50.00")
    home = tmp_path / "t"
    with terminal(home, central, admin, cut) as svc:
        terminal_id = svc.identity().terminal_id
        with sqlite3.connect(home / "terminal.db") as db:
            (central_key,) = db.execute(
                "SELECT value FROM meta WHERE key = 'central_public_key'").fetchone()
            raw, version = db.execute("SELECT definition, version FROM programs "
                                      "WHERE id = 'store-credit'").fetchone()
        # The insider puts a key of their own where central's was and signs a lifted copy.
        lifted = json.loads(raw)
        lifted["offline"]["floor_per_transaction"] = "5000.00"
        forger = new_private_key()
        forged = b64(forger.sign(program_message("store-credit", version, lifted)))
        edit(home, ("UPDATE meta SET value = ? WHERE key = 'central_public_key'",
                    (b64(public_bytes(forger)),)),
             ("UPDATE programs SET definition = ?, signature = ? WHERE id = 'store-credit'",
              (json.dumps(lifted, sort_keys=True), forged)))
        offline(cut)
        fooled = svc.redeem(code, "45.00")  # 20.00 a sale, as central signed it
        assert (fooled.status, fooled.offline, fooled.seq) == ("approved", True, 1)
        edit(home, ("UPDATE meta SET value = ? WHERE key = 'central_public_key'",
                    (central_key,)))  # and covers the tracks before the network is back
        cut.down_paths = set()
        assert svc.sync()["conflicts"] == 1
        assert cases(admin) == [(terminal_id, 1, "breach:floor_per_transaction")]
        assert admin.card(code)["balance"] == "5.00"  # the sale happened; head office knows
        assert svc.standing().state == "flagged"


def test_resetting_the_outage_counters_is_caught_by_central(tmp_path: Path,
                                                            central: LiveCentral,
                                                            admin: AdminClient,
                                                            cut: FaultTransport) -> None:
    code, other = issue(admin, "store-credit", 2, value="50.00")
    home = tmp_path / "t"
    boot = Boot()
    now = [int(time.time() * 1000)]
    with terminal(home, central, admin, cut, clock=lambda: now[0], boot_clock=boot) as svc:
        terminal_id = svc.identity().terminal_id
        offline(cut)
        assert svc.redeem(code, "5.00").status == "approved"
        refused = svc.redeem(code, "5.00")
        assert (refused.status, refused.reason) == ("declined", "offline_card_used")
        # The insider makes the till think the outage just began.
        edit(home, ("UPDATE meta SET value = (SELECT MAX(seq) FROM journal) "
                    "WHERE key = 'sync_mark_seq'", ()))
        second = svc.redeem(code, "5.00")
        assert (second.status, second.offline, second.seq) == ("approved", True, 2)
        # A day later the till refuses to spend on a sync that old, until the marks are moved.
        now[0] += 25 * HOUR_MS
        boot.ms += 25 * HOUR_MS
        assert svc.redeem(other, "5.00").reason == "offline_too_long"
        edit(home, ("UPDATE meta SET value = ? WHERE key = 'last_sync_ms'", (now[0],)),
             ("UPDATE meta SET value = ? WHERE key = 'sync_boot_ms'", (boot.ms,)))
        late = svc.redeem(other, "5.00")
        assert (late.status, late.seq) == ("approved", 3)
        cut.down_paths = set()
        assert svc.sync()["conflicts"] == 2
        assert cases(admin) == [(terminal_id, 2, "breach:once_per_card"),
                                (terminal_id, 3, "breach:max_offline_hours")]
        report = admin.exposure()
        assert [c["reason"] for c in report["cases"]] == ["breach:once_per_card",
                                                         "breach:max_offline_hours"]
        assert report["flagged"][0]["terminal"] == terminal_id
        # Flagged: the till spends nothing offline until head office clears it.
        assert svc.standing().state == "flagged"
        offline(cut)
        assert svc.redeem(other, "1.00").reason == "terminal_flagged"
        cut.down_paths = set()
        assert (f"S1/{terminal_id}: active (walletpos {software_version()}) flagged: "
                "breach:once_per_card") in admin_cli(central, "terminals")
        assert admin_cli(central, "clear-flag", terminal_id, "--reason",
                         "counters reset by a technician; staff briefed"
                         ).strip() == f"{terminal_id}: flags cleared"
        svc.sync()
        assert svc.standing().state == "active"


def test_a_rewritten_entry_central_saw_the_head_of_quarantines_the_till(
        tmp_path: Path, central: LiveCentral, admin: AdminClient, cut: FaultTransport) -> None:
    code, spare = issue(admin, "store-credit", 2, value="50.00")
    member = admin.create_member("club", "DE")["code"]
    home = tmp_path / "t"
    with terminal(home, central, admin, cut) as svc:
        terminal_id = svc.identity().terminal_id
        assert svc.earn(member, "100.00")["points_earned"] == 200  # seq 1, synced
        svc.sync()
        offline(cut, "/v1/authorize", "/v1/journal")  # pushes do not get through
        sale = svc.redeem(code, "15.00")
        assert (sale.status, sale.offline, sale.seq) == ("approved", True, 2)
        svc.refresh_conflicts()  # a signed request that does: it reports the head, seq 2
        # The insider drops the append-only trigger, deletes the sale, puts the card's balance
        # view back to match (else the till refuses it offline: balance_mismatch) and sells
        # again.
        edit(home, ("DROP TRIGGER journal_no_delete", ()),
             ("DELETE FROM journal WHERE seq = 2", ()),
             ("UPDATE cards SET balance = balance_minor WHERE code = ?",
              (svc.store.data_keys().card_id(code),)))
        other = svc.redeem(code, "1.00")
        assert (other.status, other.seq) == ("approved", 2)
        cut.down_paths = set()
        with pytest.raises(CentralRefused) as refused:
            svc.sync()
        assert (refused.value.status, refused.value.reason) == (403, "quarantined")
        assert cases(admin) == [(terminal_id, 2, "fork")]
        assert admin.card(code)["balance"] == "50.00"  # nothing of the rewritten tail applied
        flagged = admin.exposure()["flagged"]
        assert [(f["terminal"], f["quarantined"]) for f in flagged] == [(terminal_id, True)]
        # The till knows: nothing more is spent here, online or off, and it says why.
        standing = svc.standing()
        assert standing.state == "quarantined" and "fork at seq 2" in (standing.reason or "")
        assert svc.redeem(code, "1.00").reason == "quarantined"
        offline(cut)
        cut.down_paths.add(f"/v1/members/{member}")
        assert svc.redeem(spare, "1.00").reason == "terminal_quarantined"
        coffee = [{"sku": "SKU-COFFEE", "category": "drinks", "qty": 1, "price": "3.50"}]
        burn = svc.redeem_reward(member, "coffee", lines=coffee)
        assert (burn["status"], burn["reason"]) == ("declined", "terminal_quarantined")
        assert svc.sync_status()["standing"]["state"] == "quarantined"
        # The insider wipes the mark and the till spends offline again: central applies none
        # of it, is told again, and head office sees how far the journal went past it.
        edit(home, ("UPDATE meta SET value = '' WHERE key = 'quarantine'", ()))
        fooled = svc.redeem(spare, "2.00")
        assert (fooled.status, fooled.offline, fooled.seq) == ("approved", True, 3)
        cut.down_paths = set()
        with pytest.raises(CentralRefused):
            svc.sync()
        assert svc.standing().state == "quarantined"
        assert admin.card(spare)["balance"] == "50.00"
        [stopped] = admin.exposure()["quarantined"]
        assert stopped == {"terminal": terminal_id, "store": "S1", "reason": "fork at seq 2",
                           "acked_seq": 1, "head_seq": 3, "unsynced_entries": 2,
                           "unsynced_exposure": [{"currency": "EUR",
                                                  "grants_outstanding": "0.00",
                                                  "floor_allowance": "300.00",
                                                  "exposure": "300.00"}]}
        shown = admin_cli(central, "exposure")
        assert (f"quarantined S1/{terminal_id}: 2 entries central will never apply (acked 1, "
                "head 3), unsynced exposure 300.00 EUR") in shown
        assert f"S1/{terminal_id} seq 2: fork (open)" in shown


def test_a_load_signed_with_the_terminal_key_naming_no_manager_mints_nothing(
        tmp_path: Path, central: LiveCentral, admin: AdminClient, cut: FaultTransport) -> None:
    code, = issue(admin, "store-credit", value="10.00")
    with terminal(tmp_path / "t", central, admin, cut) as svc:
        with svc.store.write() as conn:  # the insider's own entry, chained and signed
            svc.ctx.journal.append(conn, "load", card=code, program="store-credit",
                                   program_version=1, amount=100_000, currency="EUR",
                                   staff="S-NOBODY00", extra={"sale": True})
        assert svc.sync()["conflicts"] == 1
        assert (admin.card(code)["balance"], admin.card(code)["state"]) == ("10.00", "blocked")
        [case] = admin.exposure()["cases"]
        assert (case["reason"], case["card"]) == ("unknown_staff", code)
        assert svc.standing().state == "flagged"
        assert svc.balance(code)["state"] == "blocked"


def test_cards_issued_past_the_cap_or_outside_the_pool_mint_nothing(
        tmp_path: Path, central: LiveCentral, admin: AdminClient, cut: FaultTransport) -> None:
    manager = admin.create_staff("S1", "Morgan", "manager", "246810")["id"]
    home = tmp_path / "t"
    with terminal(home, central, admin, cut) as svc:
        terminal_id = svc.identity().terminal_id
        with pytest.raises(Declined) as capped:  # gift-eur's cap is its 50.00 default
            svc.issue_cards("gift-eur", 1, manager, value="50.01")
        assert capped.value.reason == "over_value_cap"
        svc.top_up_pool("gift-eur", 1)
        with sqlite3.connect(home / "terminal.db") as db:
            stored, sealed = db.execute("SELECT code, qr FROM code_pool "
                                        "WHERE program = 'gift-eur'").fetchone()
        mine = svc.store.data_keys().open_pool(stored, sealed)[0]  # type: ignore[index]
        # The insider signs issues by hand, as issuing would journal them and with the cards
        # in the replica: 1,000.00 on a code of its own pool, and a card from no pool at all.
        with svc.store.write() as conn:
            for code in (mine, "GC-0000-0000-0000"):
                seq = svc.ctx.journal.append(
                    conn, "issue", card=code, program="gift-eur", program_version=1,
                    amount=100_000, currency="EUR", staff=manager,
                    extra={"batch": "b-x", "expires_at": None}).body.seq
                conn.execute(text(
                    "INSERT INTO cards (code, program, currency, state, balance_minor, "
                    "acked_seq, balance, expires_at, change_seq) VALUES (wp_card_key(:c), "
                    "'gift-eur', 'EUR', 'inactive', 100000, :s, 100000, NULL, 0)"),
                    {"c": code, "s": seq})
        assert svc.sync()["conflicts"] == 2
        assert cases(admin) == [(terminal_id, 1, "over_value_cap"),
                                (terminal_id, 2, "code_not_reserved")]
        assert [c["reason"] for c in admin.exposure()["cases"]] == ["over_value_cap",
                                                                   "code_not_reserved"]
        assert svc.standing().state == "flagged"
        for code in (mine, "GC-0000-0000-0000"):  # no card: nothing to sell or to spend
            with pytest.raises(AdminError) as missing:
                admin.card(code)
            assert missing.value.reason == "unknown_card"
        with pytest.raises(Declined) as unsold:  # selling needs central's authority
            svc.activate_and_load(mine, "", manager)
        assert (unsold.value.reason, unsold.value.message) == (
            "unknown_card", "head office declined: unknown_card")
        assert svc.status()["last_seq"] == 2


def test_two_tills_on_the_same_100_points_get_one_approval(tmp_path: Path,
                                                           central: LiveCentral,
                                                           admin: AdminClient,
                                                           cut: FaultTransport) -> None:
    member = admin.create_member("club", "DE")["code"]
    homes = [tmp_path / "a", tmp_path / "b"]
    coffee = [{"sku": "SKU-COFFEE", "category": "drinks", "qty": 1, "price": "3.50"}]
    with terminal(homes[0], central, admin, cut) as a:
        assert a.earn(member, "100.00")["points_earned"] == 200
        assert a.redeem_reward(member, "coffee", lines=coffee)["status"] == "approved"
        a.sync()
    terminal(homes[1], central, admin, cut).close()
    quoted, start = threading.Barrier(2), threading.Barrier(2)
    outcome: dict[str, Any] = {}

    def till(home: Path) -> None:  # one service per thread, as the counter's lanes do
        with TerminalService(home, transport=cut, authorize_timeout=5.0,
                             sync_timeout=5.0) as svc:
            order = svc.loyalty.member_order(member, None, coffee)
            quote = svc.loyalty.member_quote(order, [])
            seen = next(v.points for v in quote.quote.members)
            quoted.wait()  # both tills see the member's last 100 points
            start.wait()
            outcome[str(home)] = (seen, svc.commit(
                Choices(rewards=("reward:club:coffee",), earn=False), quote))
            svc.sync()

    threads = [threading.Thread(target=till, args=(home,)) for home in homes]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [seen for seen, _ in outcome.values()] == [100, 100]
    assert sorted((r.status, r.reason) for _, r in outcome.values()) == [
        ("committed", None), ("declined", "insufficient_points")]
    assert admin.member(member)["points"] == 0
    assert admin.conflicts()["conflicts"] == []
