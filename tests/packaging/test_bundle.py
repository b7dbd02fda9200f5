"""The one-folder bundle (dist/walletpos) as a store would use it, with no Python environment:
the same CLI as the console script, every native part loading inside it (zxing-cpp, zbar
through ctypes, OpenCV, Qt's platform and FFmpeg multimedia plugins, CEL, argon2, cbor2 and
pycose through a demo world, Alembic migrations from files), a printed card's QR scanned back,
each screen rendered, and central initialised, served, enrolled against and synced with."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import cv2
import httpx
import pytest
from packaging_helpers import REPO, Runner, free_port
from PySide6.QtGui import QImage

sys.path.insert(0, str(REPO / "packaging"))
import depends  # noqa: E402 - packaging/ is a folder of scripts, not a package

HANG_GUARD_S = 60  # a wait that fails instead of hanging the run; never a timing assertion


def qr_png(text: str, path: Path) -> Path:
    image = cv2.QRCodeEncoder.create().encode(text)
    cv2.imwrite(str(path), cv2.resize(image, (480, 480), interpolation=cv2.INTER_NEAREST))
    return path


@pytest.fixture(scope="module")
def demo_world(walletpos: Runner, user_home: Path) -> dict:
    """`walletpos demo --no-wait`: central and terminal databases migrated, programs with CEL
    rules loaded, staff PINs hashed with argon2, cards issued as signed COSE credentials."""
    out = walletpos("demo", "--no-wait", "--json", "--home", str(user_home / "demo"))
    return json.loads(out.stdout)


def test_version_is_the_console_scripts(walletpos: Runner) -> None:
    venv = subprocess.run([str(Path(sys.executable).with_name("walletpos")), "--version"],
                          capture_output=True, text=True, check=True).stdout
    assert walletpos("--version").stdout == venv
    assert venv.startswith("walletpos ")


def test_doctor_finds_every_native_part(walletpos: Runner) -> None:
    report = json.loads(walletpos("doctor", "--json", check=False).stdout)
    assert report["frozen"] is True
    assert report["decoders"] == {"ok": True, "zxing": True, "pyzbar": True, "opencv": True}
    assert report["multimedia"]["ok"], report["multimedia"]  # the FFmpeg backend plugin loaded
    plugins = report["qt"]["platform_plugins"]
    assert {"xcb", "wayland", "offscreen"} <= set(plugins)
    assert not {"eglfs", "vnc", "linuxfb"} & set(plugins)  # left out on purpose (the spec)
    assert report["qt"]["cjk_font"] and report["system"]["psycopg_impl"] == "binary"
    assert report["ok"], report


def test_every_library_it_links_is_declared(bundle: Path) -> None:
    required, _optional, problems = depends.report(bundle)
    listed = depends.closure(depends.declared(REPO / "packaging" / "system-packages.txt"))
    assert problems == []
    assert required - listed == set()
    # Debian's own libraries are the system's, never copies from the build machine.
    internal = bundle / "_internal"
    assert not list(internal.glob("libxcb*.so*")) and not list(internal.glob("libssl.so*"))
    # The headless OpenCV: the GUI wheel's own Qt plugins would fight PySide6's.
    assert not (internal / "cv2" / "qt").exists()


def test_package_data_travels_with_it(bundle: Path) -> None:
    internal = bundle / "_internal"
    for path in ("resources/i18n/walletpos_ja.qm", "resources/themes/dark.qss",
                 "resources/sounds/beep.wav", "resources/brand/brand.json",
                 "wallet_sync/central/migrations/env.py", "pos_app/terminal/migrations/env.py",
                 "PySide6/Qt/translations/qtbase_ja.qm",
                 "PySide6/Qt/plugins/multimedia/libffmpegmediaplugin.so"):
        assert (internal / path).is_file(), path
    assert list((internal / "wallet_sync/central/migrations/versions").glob("0001_*.py"))


def test_a_printed_card_scans_back_with_every_decoder(walletpos: Runner, demo_world: dict,
                                                      tmp_path: Path) -> None:
    card = demo_world["cards"][0]
    image = qr_png(card["qr"], tmp_path / "card.png")
    for decoder in ("zxing", "pyzbar", "opencv"):
        out = walletpos("scan", str(image), "--decoder", decoder, "--home",
                        demo_world["terminal_home"], "--json")
        [payload] = [p for r in json.loads(out.stdout)["results"] for p in r["payloads"]]
        assert payload["parsed"]["kind"] == "credential", decoder  # pycose verified it
        assert payload["parsed"]["code"] == card["code"], decoder


@pytest.mark.parametrize("screen", ["counter", "kiosk", "manager"])
def test_each_screen_renders(walletpos: Runner, demo_world: dict, tmp_path: Path,
                             screen: str) -> None:
    png = tmp_path / f"{screen}.png"
    walletpos(screen, "--home", demo_world["terminal_home"], "--screenshot", str(png),
              "--lang", "ja")
    image = QImage(str(png))
    assert not image.isNull() and image.width() >= 800


def wait_healthy(url: str, server: subprocess.Popen[str]) -> dict:
    deadline = time.monotonic() + HANG_GUARD_S
    while time.monotonic() < deadline:
        assert server.poll() is None, server.stdout.read() if server.stdout else ""
        try:
            return httpx.get(f"{url}/v1/health", timeout=2).json()
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError(f"{url} never answered")


def test_central_init_serve_and_a_terminal_syncs(walletpos: Runner, tmp_path: Path) -> None:
    db = str(tmp_path / "central.db")
    init = json.loads(walletpos("central", "init", "--db", db, "--json").stdout)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    # Two workers: uvicorn spawns them by re-running the frozen executable (freeze_support),
    # the path most likely to break when frozen; one process is what test_deb's service runs.
    server = walletpos.start("central", "serve", "--db", db, "--port", str(port),
                             "--workers", "2")
    try:
        assert wait_healthy(url, server)
        # The head-office console renders from the bundle's templates and serves its files.
        login = httpx.get(url + "/office/login", timeout=10)
        assert login.status_code == 200 and "<form" in login.text
        assert 'href="/office/static/office.css"' in login.text
        assert httpx.get(url + "/office/static/office.css", timeout=10).status_code == 200
        admin = ["admin", "--central", url, "--key", init["admin_key"]]
        walletpos(*admin, "load-programs", str(REPO / "resources" / "demo" / "programs.yaml"))
        code = json.loads(walletpos(*admin, "enroll-code", "--store", "s1", "--json").stdout)
        home = str(tmp_path / "terminal")
        walletpos("terminal", "--home", home, "enroll", "--central", url, "--code",
                  code["code"])
        synced = json.loads(walletpos("terminal", "--home", home, "sync", "--json").stdout)
        assert synced["conflicts"] == 0
        # The rules engine's CEL (native) decides: eligibility `customer.country in [...]`.
        quotes = {}
        for country in ("DE", "FR"):
            member = json.loads(walletpos(*admin, "create-member", "--program", "club",
                                          "--country", country, "--json").stdout)["code"]
            quotes[country] = json.loads(walletpos(
                "terminal", "--home", home, "quote", "--member", member, "--amount", "120.00",
                "--json").stdout)
        assert quotes["DE"]["points_to_earn"] == 240
        assert quotes["FR"]["points_to_earn"] == 0
        assert any(r["reason"].startswith("not_eligible") for r in quotes["FR"]["refused"])
        assert json.loads(walletpos("terminal", "--home", home, "verify", "--json").stdout)["ok"]
    finally:
        server.terminate()
        server.wait(timeout=HANG_GUARD_S)
