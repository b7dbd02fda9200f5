"""Reading a printed card sheet back: each PDF page rendered with QtPdf, every QR on it decoded
by the counter's scan pipeline (what a camera would see from a flat, well-lit print)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from pos_app.scanner import ScanPipeline

DPI = 200


def page_images(pdf: Path) -> list[np.ndarray]:
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QImage
    from PySide6.QtPdf import QPdfDocument

    doc = QPdfDocument()
    assert doc.load(str(pdf)) == QPdfDocument.Error.None_, doc.error()
    images = []
    for page in range(doc.pageCount()):
        points = doc.pagePointSize(page)
        size = QSize(round(points.width() * DPI / 72), round(points.height() * DPI / 72))
        image = doc.render(page, size).convertToFormat(QImage.Format.Format_Grayscale8)
        width, height, stride = image.width(), image.height(), image.bytesPerLine()
        raw = np.frombuffer(image.constBits(), dtype=np.uint8, count=stride * height)
        images.append(raw.reshape(height, stride)[:, :width].copy())
    doc.close()
    return images


def decode_sheet(pdf: Path) -> list[list[str]]:
    """The QR texts of each page."""
    pipeline = ScanPipeline()
    return [sorted(d.text for d in pipeline.decode_image(image)) for image in page_images(pdf)]
