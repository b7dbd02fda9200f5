"""The scan panel: live camera preview with a guide frame, a box on each detected code, a green
(accepted) or red (refused) flash, and the beep.

Frames are read and decoded by `pos_app.scanner` (FrameSource + ScanLoop) on their own threads;
only a small preview image and the detection corners cross to the UI thread, by queued signal.
One card held in front of the camera is one scan: the loop's debouncer decides that.
"""

from __future__ import annotations

import time

import cv2
import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from pos_app.scanner import Detection, Frame, FrameSource, ScanEvent, ScanLoop, SourceStatus
from pos_app.scanner.frames import SourceState

PREVIEW_WIDTH = 640
FLASH_MS = 450


class Preview(QWidget):
    """Paints the newest frame, the guide frame and the detection boxes; flashes on request."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("preview")
        self.setMinimumSize(320, 180)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._image: QImage | None = None
        self._boxes: list[list[tuple[float, float]]] = []
        self._flash: QColor | None = None
        self._flash_timer = QTimer(self)
        self._flash_timer.setSingleShot(True)
        self._flash_timer.timeout.connect(self._end_flash)
        self.message = ""

    def show_frame(self, image: QImage, boxes: list[list[tuple[float, float]]]) -> None:
        self._image, self._boxes = image, boxes
        self.update()

    def flash(self, ok: bool) -> None:
        self._flash = QColor(46, 160, 67, 120) if ok else QColor(215, 58, 73, 130)
        self._flash_timer.start(FLASH_MS)
        self.update()

    @property
    def flashing(self) -> str | None:
        if self._flash is None:
            return None
        return "green" if self._flash.green() > self._flash.red() else "red"

    def _end_flash(self) -> None:
        self._flash = None
        self.update()

    def paintEvent(self, _event: object) -> None:  # noqa: N802 - Qt override
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor(24, 26, 30))
        target = QRectF(self.rect())
        if self._image is not None and not self._image.isNull():
            scale = min(target.width() / self._image.width(),
                        target.height() / self._image.height())
            w, h = self._image.width() * scale, self._image.height() * scale
            target = QRectF((self.width() - w) / 2, (self.height() - h) / 2, w, h)
            p.drawImage(target, self._image)
            p.setPen(QPen(QColor(46, 200, 90), 4))
            for box in self._boxes:
                p.drawPolygon(QPolygonF([QPointF(target.x() + x * target.width(),
                                                 target.y() + y * target.height())
                                         for x, y in box]))
        self._guide(p, target)
        if self.message:
            p.setPen(QColor(235, 235, 235))
            p.drawText(self.rect().adjusted(12, 12, -12, -12),
                       Qt.AlignmentFlag.AlignBottom | Qt.AlignmentFlag.AlignHCenter
                       | Qt.TextFlag.TextWordWrap, self.message)
        if self._flash is not None:
            p.fillRect(self.rect(), self._flash)
        p.end()

    @staticmethod
    def _guide(p: QPainter, area: QRectF) -> None:
        """Corner brackets around the middle: where to hold the card's QR."""
        side = min(area.width(), area.height()) * 0.62
        box = QRectF(area.center().x() - side / 2, area.center().y() - side / 2, side, side)
        arm = side * 0.18
        pen = QPen(QColor(255, 255, 255, 210), 5)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        p.setPen(pen)
        for cx, cy, dx, dy in ((box.left(), box.top(), 1, 1), (box.right(), box.top(), -1, 1),
                               (box.left(), box.bottom(), 1, -1),
                               (box.right(), box.bottom(), -1, -1)):
            p.drawLine(QPointF(cx, cy), QPointF(cx + dx * arm, cy))
            p.drawLine(QPointF(cx, cy), QPointF(cx, cy + dy * arm))


class ScanPanel(QWidget):
    scanned = Signal(str, float)  # payload, time.monotonic() when its frame was decoded
    _frame_ready = Signal(object, object)  # QImage, boxes (from the scan thread)
    _event = Signal(object, float)
    _status = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("panel")
        box = QVBoxLayout(self)
        title = QLabel(self.tr("Scan"))
        title.setObjectName("panelTitle")
        self.preview = Preview()
        self.hint = QLabel(self.tr("Hold the card's QR code inside the frame, or use the USB "
                                   "scanner anywhere on this screen."))
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)
        box.addWidget(title)
        box.addWidget(self.preview, 1)
        box.addWidget(self.hint)
        self._loop: ScanLoop | None = None
        self._frame_ready.connect(self.preview.show_frame)
        self._event.connect(lambda e, t: self.scanned.emit(e.text, t))
        self._status.connect(self._on_status)
        self.frames_shown = 0
        self.set_camera_message(self.tr("No camera selected: scan with the USB scanner or type "
                                        "the code."))

    @property
    def running(self) -> bool:
        return self._loop is not None

    def start(self, device: int | str | None, *, debounce: float = 1.5) -> None:
        """Start reading `device` (camera index, video, image folder); None: no camera."""
        self.stop()
        if device is None:
            return
        source = FrameSource(device, on_status=self._status.emit)
        self._loop = ScanLoop(source, debounce=debounce, on_scan=self._from_loop,
                              on_detections=self._detections).start()

    def stop(self) -> None:
        loop, self._loop = self._loop, None
        if loop is not None:
            loop.stop()

    def set_camera_message(self, text: str) -> None:
        self.preview.message = text
        self.preview.update()

    def flash(self, ok: bool) -> None:
        self.preview.flash(ok)

    # ---- scan thread -> UI thread ---------------------------------------------------------

    def _from_loop(self, event: ScanEvent) -> None:
        self._event.emit(event, time.monotonic())

    def _detections(self, frame: Frame, found: list[Detection]) -> None:
        image = frame.image
        h, w = image.shape[:2]
        scale = PREVIEW_WIDTH / w
        small = cv2.resize(image, (PREVIEW_WIDTH, int(h * scale)),
                           interpolation=cv2.INTER_AREA)
        self._frame_ready.emit(_qimage(small), [[(x / w, y / h) for x, y in d.corners]
                                                for d in found])
        self.frames_shown += 1

    def _on_status(self, status: SourceStatus) -> None:
        if status.state is SourceState.RUNNING:
            self.set_camera_message("")
        elif status.state in (SourceState.NOT_FOUND, SourceState.RECONNECTING):
            self.set_camera_message(self.tr("Camera not available: scan with the USB scanner "
                                            "or type the code."))


def _qimage(image: np.ndarray) -> QImage:
    image = np.ascontiguousarray(image)
    h, w = image.shape[:2]
    if image.ndim == 2:
        fmt, line = QImage.Format.Format_Grayscale8, w
    elif image.shape[2] == 4:
        fmt, line = QImage.Format.Format_ARGB32, w * 4
    else:
        fmt, line = QImage.Format.Format_BGR888, w * 3
    return QImage(image.data, w, h, line, fmt).copy()  # copy: the array dies with this frame
