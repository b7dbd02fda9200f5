"""A screen over a damaged terminal.db: the first operation that meets the damage stops the
screen with a dialog that says what happened and what to do, in the cashier's language, and
closing it quits (no crash, no traceback). The screen here is a bare widget with the screens'
start/shutdown, run by the same `run_screen` the counter, kiosk and manager use — in a process
of its own, as a screen runs: `run_screen` runs the application's event loop to its end, which
leaves the test process's QApplication unusable for the GUI tests after it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pos_app.gui import reasons
from pos_app.terminal.database import TerminalDB

SCREEN = """
import json, sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pos_app.gui.app import make_app
from pos_app.gui.launch import run_screen
from pos_app.gui.operations import Operations


class BareScreen(QWidget):
    def __init__(self, ops):
        super().__init__()
        self.ops = ops

    def start(self):
        self.ops.run(lambda service: service.staff())

    def shutdown(self):
        pass


app = make_app(lang=sys.argv[2], theme="light")
ops = Operations(Path(sys.argv[1]))
seen = {}


def answer_dialog():
    boxes = [w for w in QApplication.topLevelWidgets()
             if isinstance(w, QMessageBox) and w.isVisible()]
    if boxes:
        seen.update(title=boxes[0].windowTitle(), text=boxes[0].text(),
                    detail=boxes[0].detailedText())
        boxes[0].button(QMessageBox.StandardButton.Close).click()


poll = QTimer()
poll.timeout.connect(answer_dialog)
poll.start(50)
QTimer.singleShot(15_000, app.quit)  # a safety net: the test fails on no dialog, never hangs
code = run_screen(app, ops, BareScreen(ops))
print(json.dumps({"code": code, **seen}))
"""


@pytest.mark.parametrize(("lang", "words"), [("en", "damaged"), ("ja", "破損")])
def test_a_damaged_database_stops_the_screen_with_a_dialog(tmp_path: Path, lang: str,
                                                           words: str) -> None:
    home = tmp_path / "home"
    TerminalDB.open(home).close()
    db = home / "terminal.db"
    data = bytearray(db.read_bytes())
    data[0] ^= 0xFF
    db.write_bytes(bytes(data))

    out = subprocess.run([sys.executable, "-c", SCREEN, str(home), lang], capture_output=True,
                         text=True, timeout=120, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert "text" in seen, "no dialog"
    assert words in seen["text"]
    if lang == "en":  # this process has no translator installed: its text is the English
        assert seen["text"] == reasons.explain("database_corrupt")
    assert "terminal.db" in seen["detail"]
