"""What "fits the screen" means, checked on a real window: the window takes the size asked for
(its minimum size is not larger), every visible control lies inside the window (inside a
scroll area: inside its width, since only vertical scrolling is allowed), no button or
one-line label is narrower than its text, and no wrapping label is shorter than its text
needs at its width (a message wraps, it is never cut)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QLabel,
    QLineEdit,
    QWidget,
)

# Qt's own parts of composite widgets (a table's viewport, a tab bar's scroll arrows) are
# clipped by their owner; the owner itself is checked.
_COMPOSITE = ("QAbstractScrollArea", "QComboBox", "QTabBar", "QSpinBox", "QAbstractSpinBox")


def _inside_composite(widget: QWidget, window: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        if any(parent.inherits(name) for name in _COMPOSITE) and not _is_page_scroll(parent):
            return True
        parent = parent.parentWidget()
    return False


def _is_page_scroll(widget: QWidget) -> bool:
    """A scroll area that holds a panel of the screen (pos_app.gui.scroll.VerticalScroll), not a
    list or table whose rows scroll."""
    return widget.inherits("QScrollArea") and widget.property("pageScroll") is True


def _clip(widget: QWidget, window: QWidget) -> tuple[QRect, bool]:
    """The rectangle (window coordinates) the widget must fit in, and whether it may scroll
    vertically (it lies in a page scroll area)."""
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        area = parent.parentWidget()
        if area is not None and _is_page_scroll(area) and parent is area.viewport():
            top_left = parent.mapTo(window, QPoint(0, 0))
            return QRect(top_left, parent.size()), True
        parent = parent.parentWidget()
    return window.rect(), False


def misfits(window: QWidget, size: QSize) -> list[str]:
    """Everything that does not fit when `window` is resized to `size` (empty: it fits)."""
    problems: list[str] = []
    hint = window.minimumSizeHint()
    if hint.width() > size.width() or hint.height() > size.height():
        problems.append(f"minimumSizeHint {hint.width()}x{hint.height()} > "
                        f"{size.width()}x{size.height()}")
    if window.size() != size:
        problems.append(f"window is {window.width()}x{window.height()}, asked "
                        f"{size.width()}x{size.height()}")
    for w in window.findChildren(QWidget):
        if not w.isVisibleTo(window) or w.isWindow() or _inside_composite(w, window):
            continue
        name = f"{type(w).__name__}({w.objectName() or _text(w)[:40]!r})"
        rect = QRect(w.mapTo(window, QPoint(0, 0)), w.size())
        clip, scrolls = _clip(w, window)
        if scrolls:
            if rect.left() < clip.left() or rect.right() > clip.right():
                problems.append(f"{name} sticks out of its scroll area sideways: {rect} in {clip}")
        elif not clip.contains(rect):
            problems.append(f"{name} is off-screen: {rect} not in {clip}")
        if isinstance(w, QLabel) and w.text():
            if w.wordWrap():
                need = w.heightForWidth(w.width())
                if need > w.height() + 1:
                    problems.append(f"{name} is cut: needs {need}px of height, has {w.height()}")
            elif w.width() + 1 < w.minimumSizeHint().width():
                problems.append(f"{name} is cut: {w.width()}px < {w.minimumSizeHint().width()}")
        elif isinstance(w, (QAbstractButton, QLineEdit)) and \
                w.width() + 1 < w.minimumSizeHint().width():
            problems.append(f"{name} is squeezed: {w.width()}px < {w.minimumSizeHint().width()}")
    return problems


def _text(w: QWidget) -> str:
    text = getattr(w, "text", None)
    return text() if callable(text) else ""


def touch_sized(window: QWidget, minimum: int = 40) -> list[str]:
    """Buttons a finger must hit that are smaller than `minimum` px on a side."""
    return [f"{type(b).__name__}({b.text()[:30]!r}) is {b.width()}x{b.height()}"
            for b in window.findChildren(QAbstractButton)
            if b.isVisibleTo(window) and not _inside_composite(b, window)
            and (b.height() < minimum or b.width() < minimum)]


__all__ = ["misfits", "touch_sized", "QAbstractScrollArea"]
