"""Dynamic segments end to end (issue 17), a real terminal against the real central on
loopback: spend pushed from the till puts the member in `big_spender` on central, the
membership ships back in the member feed and an earning rule on `customer.segments` pays at
the till; `dormant` flips with the calendar through the daily pass; a birthday rule fires on
the birthday only."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from sqlalchemy import text
from terminal_live import PROGRAMS, LiveCentral
from typer.testing import CliRunner

from pos_app.cli import build_app
from pos_app.terminal.service import TerminalService
from wallet_sync.central import segments
from wallet_sync.central.admin_client import AdminClient
from wallet_sync.central.daily import DailySegments
from wallet_sync.central.db import Database
from wallet_sync.central.tables import Member


def enrolled(home: Path, central: LiveCentral, admin: AdminClient, **kw: Any
             ) -> TerminalService:
    svc = TerminalService(home, authorize_timeout=1.5, sync_timeout=5.0, **kw)
    assert "error" not in svc.enroll(central.url, admin.enroll_code("S1")["code"])["sync"]
    return svc

SEGMENTS = ("segments:\n"
            "  big_spender: 'customer.lifetime_spend >= 2000.0'\n"
            "  dormant: 'customer.last_visit_days_ago >= 60'\n")
RULES = """        points: 50
      - id: big-spender-bonus
        on: purchase
        points: 77
        tier_multiplier: false
        condition: '"big_spender" in customer.segments'
      - id: birthday
        on: purchase
        points: 11
        tier_multiplier: false
        condition: customer.birthday_today
"""


def program_file() -> str:
    text = PROGRAMS.read_text(encoding="utf-8")
    assert text.count("        points: 50\n") == 1
    return SEGMENTS + text.replace("        points: 50\n", RULES)


def refused(result: dict[str, Any]) -> dict[str, str]:
    """The earning rules a sale did not pay, with why (`earn:club:<rule>` -> reason)."""
    assert result["status"] == "earned", result
    return {str(r["benefit"]).rsplit(":", 1)[-1]: r["reason"] for r in result["refused"]}


def row(db: Database, code: str) -> tuple[list[str], int]:
    with db.read() as session:
        m = session.get(Member, code)
        assert m is not None
        return list(m.segments), m.change_seq


def test_big_spender_from_real_spend_earns_at_the_till(tmp_path: Path, central: LiveCentral,
                                                       admin: AdminClient) -> None:
    admin.load_programs(program_file(), "yaml", "programs.yaml")
    code = admin.create_member("club", "DE")["code"]
    assert admin.customer(code)["facts"]["segments"] == ["dormant"]  # never visited
    with enrolled(tmp_path / "t", central, admin) as svc:
        first = svc.earn(code, "1500.00")
        assert refused(first)["big-spender-bonus"] == "condition_failed: customer.segments"
        # 2,100.00 spent, but central has not seen the second sale: no segment yet.
        second = svc.earn(code, "600.00")
        assert "big-spender-bonus" in refused(second)
        assert (first["points_earned"], second["points_earned"]) == (3000, 2400)  # gold x2
        svc.sync()
        assert admin.customer(code)["facts"]["segments"] == ["big_spender"]
        svc.sync()  # the member's new segments come back in the feed
        third = svc.earn(code, "100.00")
        assert "big-spender-bonus" not in refused(third)
        assert third["points_earned"] == 200 * 2 + 77


def replica_segments(svc: TerminalService) -> list[str]:
    with svc.store.read() as conn:
        (data,) = conn.execute(text("SELECT data FROM members")).one()
    return list(json.loads(data).get("segments", []))


def test_dormant_flips_with_the_calendar_in_the_daily_pass(
        tmp_path: Path, central: LiveCentral, admin: AdminClient) -> None:
    admin.load_programs(program_file(), "yaml", "programs.yaml")
    code = admin.create_member("club", "DE")["code"]
    db = Database(central.db_url)
    try:
        with enrolled(tmp_path / "t", central, admin) as svc:
            assert svc.earn(code, "100.00")["status"] == "earned"
            svc.sync()
            segs, seq = row(db, code)
            assert segs == []  # it just visited
            with db.read() as session:
                member = session.get(Member, code)
                assert member is not None and member.last_visit is not None
                visit = member.last_visit
            day = 24 * 3600
            with db.write() as session:  # 59 days on: still a regular, nothing ships
                assert segments.recompute_all(session, visit + 59 * day)["changed"] == 0
            assert row(db, code) == ([], seq)
            job = DailySegments(db, lambda: visit + 61 * day)  # the serve process's pass
            assert job.run_once() == {"members": 1, "changed": 1, "segments": 2}
            segs, moved = row(db, code)
            assert segs == ["dormant"] and moved > seq
            assert job.run_once()["changed"] == 0 and row(db, code) == (["dormant"], moved)
            svc.sync()
            assert replica_segments(svc) == ["dormant"]  # shipped in the member feed
            # Back today (the CLI's clock): the visit is recent again.
            out = CliRunner().invoke(build_app(), ["central", "recompute-segments", "--db",
                                                   central.db_url, "--json"])
            assert out.exit_code == 0, out.output
            assert json.loads(out.output)["segments"]["changed"] == 1
            assert row(db, code)[0] == []
    finally:
        db.dispose()


def test_birthday_rule_fires_on_the_birthday_only(tmp_path: Path, central: LiveCentral,
                                                  admin: AdminClient) -> None:
    admin.load_programs(program_file(), "yaml", "programs.yaml")
    code = admin.create_customer("club", {"country": "DE", "birthday": "1990-05-08"})["code"]
    with enrolled(tmp_path / "t", central, admin):
        pass
    noon = dt.datetime(2030, 5, 8, 12, tzinfo=dt.UTC)
    for when, fires in ((noon, True), (noon + dt.timedelta(days=1), False)):
        ms = int(when.timestamp() * 1000)
        with TerminalService(tmp_path / "t", clock=lambda ms=ms: ms) as svc:
            result = svc.earn(code, "100.00")
            assert ("birthday" not in refused(result)) is fires, result
            assert result["points_earned"] == 200 + (11 if fires else 0)
