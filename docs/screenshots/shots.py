"""What the screenshot scripts share: an offscreen Qt with a throw-away settings folder, the
repository on sys.path, the output folder, and `settle` (wait until the worker is idle and the
screen has painted). Imported first by make_screenshots.py and make_kiosk_screenshots.py."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp()
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402

from pos_app import demo  # noqa: E402
from pos_app.gui.operations import Operations  # noqa: E402

OUT = Path(os.environ.get("WALLETPOS_SHOT_OUT") or Path(__file__).resolve().parent)
OUT.mkdir(parents=True, exist_ok=True)
SIZE = tuple(int(n) for n in os.environ.get("WALLETPOS_SHOT_SIZE", "1366x768").split("x"))


def settle(ops: Operations, ms: int = 150) -> None:
    loop = QEventLoop()
    poll = QTimer()
    poll.timeout.connect(lambda: ops.pending() == 0 and loop.quit())
    poll.start(20)
    loop.exec()
    poll.stop()
    end = QEventLoop()
    QTimer.singleShot(ms, end.quit)
    end.exec()


def demo_world() -> demo.DemoWorld:
    """A fresh demo (central on loopback, an enrolled terminal) in a temporary folder."""
    return demo.build(Path(tempfile.mkdtemp()) / "demo")
