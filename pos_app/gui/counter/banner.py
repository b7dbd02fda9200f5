"""The offline banner: shown while central cannot be reached, saying plainly what still works
and what does not, program by program, from the offline policy each program carries."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from pos_app.gui import app as gui_app
from pos_app.gui import locale_fmt
from pos_app.terminal.counter_lookup import OfflineMode


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
        works, not_works = [], []
        for m in self._modes:
            if m.kind != "gift_card":
                continue  # earning points always works offline: said in the first line
            name = m.names.get(lang) or m.names.get("en") or m.program
            if m.mode == "floor":
                limit = locale_fmt.money(m.per_sale, m.currency) if m.per_sale is not None \
                    else ""
                works.append(self.tr("%1 up to %2 a sale").replace("%1", name)
                             .replace("%2", limit) if limit else name)
            elif m.mode == "escrow":
                works.append(self.tr("%1 within this terminal's grant").replace("%1", name))
            else:
                not_works.append(name)
        lines = [self.tr("Still works: balances, receipts, staff login, earning points (sent "
                         "later).")]
        if works:
            lines.append(self.tr("Can pay: %1.").replace("%1", ", ".join(works)))
        if not_works:
            lines.append(self.tr("Needs the network: %1.").replace("%1", ", ".join(not_works)))
        self.detail.setText("\n".join(lines))

    def set_offline(self, offline: bool) -> None:
        self._render()
        self.setVisible(offline)
