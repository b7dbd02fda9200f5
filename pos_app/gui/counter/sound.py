"""The scan beep: QtMultimedia's QSoundEffect playing resources/sounds/beep.wav (loaded once,
so it starts within a few ms), or the system bell where there is no QtMultimedia, no PulseAudio
client library or no sound device — quietly, since a counter without speakers is normal."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QLoggingCategory, QUrl
from PySide6.QtWidgets import QApplication

from pos_app.gui.app import RESOURCES

log = logging.getLogger(__name__)
BEEP = RESOURCES / "sounds" / "beep.wav"
ERROR = RESOURCES / "sounds" / "error.wav"


class Beeper:
    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled
        self.played: list[str] = []  # what was asked for, for tests and diagnostics
        self._effects: dict[str, Any] = {}
        if not enabled:
            return
        # Qt Multimedia logs its probing for PipeWire on every start; the fallback is silent.
        QLoggingCategory.setFilterRules("qt.multimedia.*=false")
        try:
            from PySide6.QtMultimedia import QSoundEffect
        except ImportError:  # PySide6-Addons missing or libpulse0 absent
            log.info("no QtMultimedia: the scan beep uses the system bell")
            return
        for name, path in (("ok", BEEP), ("error", ERROR)):
            if path.exists():
                effect = QSoundEffect()
                effect.setSource(QUrl.fromLocalFile(str(path)))
                effect.setVolume(0.6)
                self._effects[name] = effect

    def play(self, kind: str = "ok") -> None:
        self.played.append(kind)
        if not self.enabled:
            return
        effect = self._effects.get(kind)
        if effect is not None and effect.status() != effect.Status.Error:
            effect.play()
        else:
            QApplication.beep()
