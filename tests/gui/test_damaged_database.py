"""A screen over a damaged terminal.db: the first operation that meets the damage stops the
screen with a dialog that says what happened and what to do, in the cashier's language, and
closing it quits (no crash, no traceback). The screen here is a bare widget with the screens'
start/shutdown, run by the same `run_screen` the counter, kiosk and manager use."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from pos_app.gui import reasons
from pos_app.gui.app import make_app
from pos_app.gui.launch import run_screen
from pos_app.gui.operations import Operations
from pos_app.terminal.database import TerminalDB


class BareScreen(QWidget):
    def __init__(self, ops: Operations) -> None:
        super().__init__()
        self.ops = ops

    def start(self) -> None:
        self.ops.run(lambda service: service.staff())

    def shutdown(self) -> None:
        pass


@pytest.mark.parametrize(("lang", "words"), [("en", "damaged"), ("ja", "破損")])
def test_a_damaged_database_stops_the_screen_with_a_dialog(tmp_path: Path, qtbot: Any,
                                                           lang: str, words: str) -> None:
    home = tmp_path / "home"
    TerminalDB.open(home).close()
    db = home / "terminal.db"
    data = bytearray(db.read_bytes())
    data[0] ^= 0xFF
    db.write_bytes(bytes(data))

    app = make_app(lang=lang, theme="light")
    ops = Operations(home)
    window = BareScreen(ops)
    seen: dict[str, str] = {}

    def answer_dialog() -> None:
        boxes = [w for w in QApplication.topLevelWidgets()
                 if isinstance(w, QMessageBox) and w.isVisible()]
        if boxes:
            seen["title"], seen["text"] = boxes[0].windowTitle(), boxes[0].text()
            seen["detail"] = boxes[0].detailedText()
            boxes[0].button(QMessageBox.StandardButton.Close).click()

    poll = QTimer()
    poll.timeout.connect(answer_dialog)
    poll.start(50)
    QTimer.singleShot(15_000, app.quit)  # a safety net: the test fails below, never hangs
    run_screen(app, ops, window)
    poll.stop()
    assert seen, "no dialog"
    assert words in seen["text"] and seen["text"] == reasons.explain("database_corrupt")
    assert "terminal.db" in seen["detail"]
