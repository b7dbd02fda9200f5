"""`walletpos doctor`: what this install can do, for the person setting up a till.

Each check uses the real part, not its presence on disk: the three QR decoders read a code made
here (so zxing-cpp's, zbar's — through ctypes — and OpenCV's native libraries really load), Qt
starts a GUI application and its FFmpeg multimedia backend answers (the scan beep), the Japanese
font and the time-zone database resolve, both database drivers import. A frozen bundle runs no
Python but its own, so this is also how the packaging smoke test looks inside it.

Exit 0 when everything the screens and central need works, 1 otherwise. Sound devices are
reported but never fail the check: a counter without speakers beeps with the system bell.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

import typer

from pos_app.cli.output import emit

CJK_FAMILY = "Noto Sans CJK JP"  # the family pos_app.gui.app asks for


def _decoders() -> dict[str, Any]:
    import cv2
    import numpy as np

    from pos_app.scanner.decoders import DECODER_NAMES, make_decoder

    qr = cv2.QRCodeEncoder.create().encode("GC-DOCTOR-CHECK")
    gray = np.pad(cv2.resize(qr, (240, 240), interpolation=cv2.INTER_NEAREST), 40,
                  constant_values=255)
    found = {}
    for name in DECODER_NAMES:
        texts = [d.text for d in make_decoder(name).decode(gray)]
        found[name] = texts == ["GC-DOCTOR-CHECK"]
    return {"ok": all(found.values()), **found}


def _qt() -> dict[str, Any]:
    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import QLibraryInfo
    from PySide6.QtGui import QFontDatabase, QGuiApplication

    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # no desktop: check the rest
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    plugins = os.path.join(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath), "platforms")
    available = sorted(f.removeprefix("libq").removesuffix(".so")
                       for f in os.listdir(plugins)) if os.path.isdir(plugins) else []
    cjk = CJK_FAMILY in QFontDatabase.families()
    return {"ok": cjk and "xcb" in available and "wayland" in available,
            "pyside6": pyside_version, "platform": app.platformName(),
            "platform_plugins": available, "cjk_font": cjk}


def _multimedia() -> dict[str, Any]:
    from PySide6.QtCore import QLoggingCategory
    from PySide6.QtMultimedia import QMediaDevices, QMediaFormat

    QLoggingCategory.setFilterRules("qt.multimedia.*=false")  # its probing is not our report

    # Qt lists decodable formats only when a media backend plugin (FFmpeg) has loaded.
    formats = QMediaFormat().supportedFileFormats(QMediaFormat.ConversionMode.Decode)
    return {"ok": len(formats) > 0, "backend_formats": len(formats),
            "audio_outputs": len(QMediaDevices.audioOutputs())}


def _system() -> dict[str, Any]:
    import sqlite3
    from zoneinfo import ZoneInfo

    import psycopg

    ZoneInfo("Asia/Tokyo")
    return {"ok": True, "sqlite": sqlite3.sqlite_version, "psycopg": psycopg.__version__,
            "psycopg_impl": psycopg.pq.__impl__}


CHECKS: dict[str, Callable[[], dict[str, Any]]] = {
    "decoders": _decoders, "qt": _qt, "multimedia": _multimedia, "system": _system}


def doctor(as_json: bool = typer.Option(False, "--json", help="Machine-readable output.")) -> None:
    from pos_app.cli import version

    report: dict[str, Any] = {"version": version(), "frozen": bool(getattr(sys, "frozen", False))}
    for name, check in CHECKS.items():
        try:
            report[name] = check()
        except Exception as exc:  # a broken install is what this command is for: report it
            report[name] = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
    report["ok"] = all(report[name]["ok"] for name in CHECKS)
    emit(report, as_json, "\n".join(
        f"{name:11} {'ok' if report[name]['ok'] else 'FAILED'}  "
        + ", ".join(f"{k}={v}" for k, v in report[name].items() if k != "ok")
        for name in CHECKS))
    raise typer.Exit(0 if report["ok"] else 1)
