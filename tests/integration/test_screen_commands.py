"""`walletpos counter | kiosk | manager` as a user starts them: a folder that holds no terminal
and a bad --lang are typed errors (exit 2) before any window opens; `--screenshot` renders the
first screen of an enrolled terminal to a PNG and exits 0."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from pos_app import demo

WALLETPOS = str(Path(sys.executable).with_name("walletpos"))
ENV = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([WALLETPOS, *args], capture_output=True, text=True, timeout=120,
                          env=ENV)


@pytest.mark.parametrize("screen", ["counter", "kiosk", "manager"])
def test_refused_before_a_window_opens(screen, tmp_path):
    empty = run(screen, "--home", str(tmp_path))
    assert empty.returncode == 2 and "(not_enrolled)" in empty.stderr
    bad = run(screen, "--home", str(tmp_path), "--lang", "fr")
    assert bad.returncode == 2 and "(invalid_input)" in bad.stderr


def test_screenshots_of_an_enrolled_terminal(tmp_path):
    world = demo.build(tmp_path / "demo")
    try:
        for screen in ("counter", "kiosk", "manager"):
            png = tmp_path / f"{screen}.png"
            done = run(screen, "--home", str(world.terminal_home), "--screenshot", str(png),
                       "--lang", "ja")
            assert done.returncode == 0, done.stderr
            image = QImage(str(png))
            assert not image.isNull() and image.width() >= 800, screen
    finally:
        world.central.stop()
