"""Head office issues a batch with `walletpos admin issue-cards --pdf`: the sheet it prints
holds exactly the issued cards, every QR reads back through the counter's scan pipeline as the
signed credential of its card, and central knows each of them (inactive until sold)."""

import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit" / "printing"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from sheet_reader import decode_sheet  # noqa: E402

from pos_app import demo  # noqa: E402
from pos_app.terminal.service import TerminalService  # noqa: E402
from wallet_sync.central.admin_client import AdminClient  # noqa: E402

WALLETPOS = str(Path(sys.executable).with_name("walletpos"))


def test_issued_batch_prints_and_scans_back_to_exactly_those_cards(tmp_path):
    world = demo.build(tmp_path / "demo")
    try:
        pdf = tmp_path / "batch.pdf"
        proc = subprocess.run(
            [WALLETPOS, "admin", "--central", world.central.url, "--key", world.admin_key,
             "issue-cards", "--program", "gift-eur", "--count", "13", "--value", "25.00",
             "--pdf", str(pdf), "--program-name", "Gift card", "--json"],
            capture_output=True, text=True, timeout=120,
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
        assert proc.returncode == 0, proc.stderr
        result = json.loads(proc.stdout)
        issued = {c["code"]: c["qr"] for c in result["cards"]}
        assert len(issued) == 13 and result["pdf"]["pages"] == 2  # A4 holds ten

        pages = decode_sheet(pdf)
        assert [len(p) for p in pages] == [10, 3]
        scanned = [qr for page in pages for qr in page]
        assert sorted(scanned) == sorted(issued.values())
        with TerminalService(world.terminal_home) as terminal:  # the counter's own checks
            for qr in scanned:
                found = terminal.identify(qr)
                assert found.kind == "credential" and issued[found.code] == qr
        with AdminClient(world.central.url, world.admin_key) as admin:
            assert {admin.card(code)["state"] for code in issued} == {"inactive"}
    finally:
        world.central.stop()
