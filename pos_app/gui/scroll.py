"""A panel that scrolls up and down, never sideways: for the parts of a screen that can grow
longer than a 768-pixel till screen (the counter's basket-card-loyalty-receipt column, the
kiosk's balance, the manager's tabs).

A plain QScrollArea reports a tiny minimum width, so the layout around it may squeeze its
content below the content's own minimum and cut it; this one asks for the content's minimum
width (plus the scroll bar) and only a small minimum height, which is what lets the window fit
a short screen while nothing is ever cut sideways.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer
from PySide6.QtWidgets import QFrame, QScrollArea, QWidget

MIN_HEIGHT = 160  # enough to show that there is something to scroll


class VerticalScroll(QScrollArea):
    def __init__(self, content: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("pageScroll", True)  # tests/gui/layout_check.py tells it from a list
        self.setObjectName("pageScroll")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(content)
        content.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        # The content grew (a receipt appeared): the layout around must hear it, or it keeps
        # the old minimum width and the content would stick out sideways.
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()
        return super().eventFilter(watched, event)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        inner = self.widget().minimumSizeHint() if self.widget() is not None else QSize()
        bar = self.verticalScrollBar().sizeHint().width()
        return QSize(inner.width() + bar + 2 * self.frameWidth(),
                     min(max(inner.height(), 0), MIN_HEIGHT))

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        inner = self.widget().sizeHint() if self.widget() is not None else QSize()
        bar = self.verticalScrollBar().sizeHint().width()
        return QSize(inner.width() + bar + 2 * self.frameWidth(), inner.height())

    def bring_into_view(self, widget: QWidget) -> None:
        """Scroll WIDGET (inside this panel) into view once the layout has placed it: a panel
        that just appeared below the fold must not wait for the cashier to scroll."""
        QTimer.singleShot(0, lambda: self.ensureWidgetVisible(widget, 0, 8))

