"""The menu icons' PNG sizes, rendered from resources/icons/*.svg with Qt's own SVG renderer
(already a dependency), into a freedesktop hicolor tree: OUT/hicolor/NxN/apps/NAME.png and
OUT/hicolor/scalable/apps/NAME.svg. Desktops pick the size they draw; the SVG stays the one
source, so the PNGs are build output, never committed.

    python packaging/icons.py OUT
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def render(out: Path) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 - Qt needs it
    written = []
    for svg in sorted(SOURCES.glob("*.svg")):
        renderer = QSvgRenderer(str(svg))
        if not renderer.isValid():
            raise SystemExit(f"{svg}: not a valid SVG")
        scalable = out / "hicolor" / "scalable" / "apps" / svg.name
        scalable.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(svg, scalable)
        written.append(scalable)
        for size in SIZES:
            image = QImage(size, size, QImage.Format.Format_ARGB32)
            image.fill(Qt.GlobalColor.transparent)
            painter = QPainter(image)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            renderer.render(painter)
            painter.end()
            png = out / "hicolor" / f"{size}x{size}" / "apps" / f"{svg.stem}.png"
            png.parent.mkdir(parents=True, exist_ok=True)
            if not image.save(str(png)):
                raise SystemExit(f"could not write {png}")
            written.append(png)
    return written


if __name__ == "__main__":
    for path in render(Path(sys.argv[1])):
        print(path)
