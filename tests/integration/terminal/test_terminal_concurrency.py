"""Two processes' worth of terminal service on one HOME racing for the same card while central
is down: BEGIN IMMEDIATE and the in-transaction re-checks let exactly one offline spend in."""

from __future__ import annotations

import threading
from pathlib import Path

from terminal_live import LiveCentral, issue, new_terminal

from pos_app.terminal.service import TerminalService
from wallet_sync.central.admin_client import AdminClient


def test_concurrent_offline_spends_of_one_card(tmp_path: Path, central: LiveCentral,
                                               admin: AdminClient) -> None:
    code, = issue(admin, "store-credit")
    new_terminal(tmp_path / "t", central, admin).close()
    central.stop()
    try:
        services = [TerminalService(tmp_path / "t", authorize_timeout=0.2) for _ in range(6)]
        barrier = threading.Barrier(len(services))
        results: list[str] = []

        def spend(svc: TerminalService) -> None:
            barrier.wait()
            results.append(svc.redeem(code, "15.00").status)

        threads = [threading.Thread(target=spend, args=(s,)) for s in services]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(results) == ["approved"] + ["declined"] * 5
        assert services[0].verify().as_json() == {"ok": True, "entries": 1}
        assert services[0].balance(code)["balance"] == "35.00"
        for s in services:
            s.close()
    finally:
        central.start()
