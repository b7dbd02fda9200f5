"""The counter's banners: the offline banner, shown while central cannot be reached, saying
plainly what still works and, program by program, the offline rules each program carries — in
the very sentences a decline quotes (`offline_wording`); and the standing banner, shown while
head office has quarantined or flagged this terminal."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from pos_app.gui import app as gui_app
from pos_app.gui import offline_wording
from pos_app.terminal.counter_lookup import OfflineMode
from pos_app.terminal.standing import QUARANTINED, Standing


class OfflineBanner(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("offlineBanner")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        box = QVBoxLayout(self)
        box.setContentsMargins(16, 8, 16, 8)
        self.title = QLabel(self.tr("Offline: head office cannot be reached. Sales go on; "
                                    "everything is kept and sent when the network is back."))
        self.title.setObjectName("bannerTitle")
        self.title.setWordWrap(True)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        box.addWidget(self.title)
        box.addWidget(self.detail)
        self._modes: list[OfflineMode] = []
        self.hide()

    def set_programs(self, modes: list[OfflineMode]) -> None:
        self._modes = modes
        self._render()

    def _render(self) -> None:
        lang = gui_app.language()
        lines = [self.tr("Still works: balances, receipts, staff login, earning points (sent "
                         "later).")]
        not_works = []
        for m in self._modes:
            if m.kind != "gift_card":
                continue  # earning points always works offline: said in the first line
            name = m.names.get(lang) or m.names.get("en") or m.program
            if m.mode == "online":
                not_works.append(name)
                continue
            lines.append(self.tr("%1 offline:").replace("%1", name) + " "
                         + " ".join(offline_wording.program_rules(m)))
        if not_works:
            lines.append(self.tr("Needs the network: %1.").replace("%1", ", ".join(not_works)))
        self.detail.setText("\n".join(lines))

    def set_offline(self, offline: bool) -> None:
        self._render()
        self.setVisible(offline)


class StandingBanner(QWidget):
    """Shown while head office has stopped this terminal (quarantined: its journal is not the
    one it pushed) or flagged it (a rule broken; head office must clear it): nothing is spent
    here without head office, and the cashier is told why, in their language."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("standingBanner")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        box = QVBoxLayout(self)
        box.setContentsMargins(16, 8, 16, 8)
        self.title = QLabel()
        self.title.setObjectName("bannerTitle")
        self.title.setWordWrap(True)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        box.addWidget(self.title)
        box.addWidget(self.detail)
        self.hide()

    def show_standing(self, standing: Standing | None) -> None:
        if standing is None or standing.state == "active":
            self.hide()
            return
        if standing.state == QUARANTINED:
            self.title.setText(self.tr("Head office has stopped this terminal (quarantined). "
                                       "Nothing can be paid with gift cards or points here "
                                       "until head office has looked at it."))
        else:
            self.title.setText(self.tr("Head office has flagged this terminal. Gift cards "
                                       "and points need the network until head office "
                                       "clears it."))
        self.detail.setText(self.tr("Reason: %1. Call your manager.")
                            .replace("%1", standing.reason or self.tr("not given")))
        self.show()
