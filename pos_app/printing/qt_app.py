"""The Qt application the printers paint with: PDFs are drawn with QPainter, which needs one.

A QApplication (not a bare QGuiApplication): Qt allows one per process, and a screen opened
later in the same process (tests, an app printing first) needs widgets. Headless callers (the
CLI, the service's jobs) get the offscreen platform.
"""

from __future__ import annotations

import os
from typing import Any

_app: Any = None  # kept alive for the life of the process


def ensure_gui_app() -> None:
    global _app
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    if QGuiApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        _app = QApplication([])
