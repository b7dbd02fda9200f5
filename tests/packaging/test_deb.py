"""The .deb installed with `dpkg -i`, as a store's IT person would: the `walletpos` command on
PATH with no Python environment, menu entries whose commands and icons exist, the central
service run the way its systemd unit says (its user, its 0700 state folder, first start
initialises, a later start only migrates), and the kiosk session bringing a killed kiosk back.

This machine has no systemd as PID 1 (CI runs in a container), so the unit's own lines are read
and run as systemd would: its User=, Environment=, EnvironmentFile=, ExecStartPre=, ExecStart=.
Installing needs root: CI is root and fails without it; elsewhere the tests skip.
"""

from __future__ import annotations

import configparser
import json
import os
import pwd
import shutil
import signal
import stat
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from packaging_helpers import Runner, free_port

STATE = Path("/var/lib/walletpos")
UNIT = Path("/lib/systemd/system/walletpos-central.service")
HANG_GUARD_S = 60  # waits fail instead of hanging; nothing here asserts a duration


@pytest.fixture(scope="module")
def deb() -> Path:
    path = Path(os.environ.get("WALLETPOS_DEB", ""))
    assert path.is_file() and path.suffix == ".deb", f"no .deb at {path!r}: run `make package`"
    return path


@pytest.fixture(scope="module")
def installed(deb: Path) -> Iterator[None]:
    if os.geteuid() != 0:
        if os.environ.get("WALLETPOS_CI"):
            pytest.fail("installing the .deb needs root, and CI must run it")
        pytest.skip("installing the .deb needs root")
    state_existed = STATE.exists()
    if state_existed and any(STATE.iterdir()):
        pytest.fail(f"{STATE} holds a central's data on this machine: not testing over it")
    user_existed = _user_exists("walletpos")
    done = subprocess.run(["dpkg", "-i", str(deb)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    try:
        yield
    finally:
        subprocess.run(["dpkg", "--purge", "walletpos"], capture_output=True, check=True)
        if not state_existed:
            shutil.rmtree(STATE, ignore_errors=True)
        if not user_existed:
            subprocess.run(["userdel", "walletpos"], capture_output=True)


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


@pytest.fixture(scope="module")
def installed_walletpos(installed: None, clean_env: dict[str, str], user_home: Path) -> Runner:
    return Runner("walletpos", clean_env, user_home)  # found on the system PATH: /usr/bin


def test_the_package_declares_what_the_screens_need(deb: Path) -> None:
    depends = subprocess.run(["dpkg-deb", "-f", str(deb), "Depends"], capture_output=True,
                             text=True, check=True).stdout
    for package in ("libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1", "libxkbcommon-x11-0",
                    "libwayland-cursor0", "libzbar0", "libpulse0", "fonts-noto-cjk", "tzdata"):
        assert package in depends


def test_the_installed_command_runs_without_python(installed_walletpos: Runner) -> None:
    assert os.readlink("/usr/bin/walletpos") == "/opt/walletpos/walletpos"
    assert installed_walletpos("--version").stdout.startswith("walletpos ")
    report = json.loads(installed_walletpos("doctor", "--json", check=False).stdout)
    assert report["ok"] and report["frozen"], report


@pytest.fixture(scope="module")
def default_terminal(installed_walletpos: Runner, user_home: Path) -> Path:
    """A demo terminal enrolled in the folder the menu entries use when WALLETPOS_HOME is
    unset (`demo --home D` puts its terminal in D/terminal)."""
    data = user_home / ".local" / "share" / "walletpos"
    world = json.loads(installed_walletpos("demo", "--no-wait", "--json", "--home",
                                           str(data)).stdout)
    assert Path(world["terminal_home"]) == data / "terminal"
    return data / "terminal"


@pytest.mark.parametrize("screen", ["counter", "kiosk", "manager"])
def test_menu_entries_start_their_screen_with_icons(installed_walletpos: Runner,
                                                    default_terminal: Path, tmp_path: Path,
                                                    screen: str) -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    entry.read(f"/usr/share/applications/walletpos-{screen}.desktop", encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert desktop["Type"] == "Application" and desktop["Terminal"] == "false"
    program, *args = desktop["Exec"].split()
    assert os.access(program, os.X_OK) and args == [screen]
    if screen == "counter":  # the bundle tests render all three; this is the menu's path
        # The menu's own command, told to render its first screen and exit.
        png = tmp_path / f"{screen}.png"
        Runner(program, installed_walletpos.env, installed_walletpos.cwd)(
            *args, "--screenshot", str(png))
        assert png.stat().st_size > 0
    icons = Path("/usr/share/icons/hicolor")
    for size in ("16x16", "48x48", "256x256"):
        assert (icons / size / "apps" / f"{desktop['Icon']}.png").is_file()
    assert (icons / "scalable" / "apps" / f"{desktop['Icon']}.svg").is_file()
    if shutil.which("desktop-file-validate"):  # desktop-file-utils, where installed
        subprocess.run(["desktop-file-validate",
                        f"/usr/share/applications/walletpos-{screen}.desktop"], check=True)


def unit_service(path: Path) -> dict[str, list[str]]:
    """The [Service] lines of a unit, each key with all its values in order."""
    lines: dict[str, list[str]] = {}
    section = ""
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if line.startswith("["):
            section = line
        elif section == "[Service]" and "=" in line and not line.startswith("#"):
            key, _, value = line.partition("=")
            lines.setdefault(key, []).append(value)
    return lines


def service_env(service: dict[str, list[str]]) -> dict[str, str]:
    env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C.UTF-8",
           "STATE_DIRECTORY": str(STATE)}
    for value in service.get("Environment", []):
        env.update(item.split("=", 1) for item in value.split())
    for value in service.get("EnvironmentFile", []):
        for line in Path(value.lstrip("-")).read_text().splitlines():
            if "=" in line and not line.lstrip().startswith("#"):
                key, _, val = line.strip().partition("=")
                env[key] = val
    return env


def as_service_user(service: dict[str, list[str]], command: str) -> list[str]:
    return ["runuser", "-u", service["User"][0], "--", *command.split()]


def test_central_service_first_start_initialises_then_upgrades_migrate(
        installed_walletpos: Runner) -> None:
    service = unit_service(UNIT)
    assert service["User"] == ["walletpos"] and service["StateDirectoryMode"] == ["0700"]
    owner = STATE.stat()
    assert pwd.getpwuid(owner.st_uid).pw_name == "walletpos"
    assert stat.S_IMODE(owner.st_mode) == 0o700
    env = {**service_env(service), "WALLETPOS_PORT": str(free_port())}
    prepare = service["ExecStartPre"][0]
    first = subprocess.run(as_service_user(service, prepare), env=env, capture_output=True,
                           text=True, check=True)
    assert "initialised" in first.stdout
    key_file = STATE / "admin-key.json"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    admin_key = json.loads(key_file.read_text())["admin_key"]

    command = service["ExecStart"][0]
    for name, value in env.items():
        command = command.replace("${" + name + "}", value)
    server = subprocess.Popen(as_service_user(service, command), env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://{env['WALLETPOS_HOST']}:{env['WALLETPOS_PORT']}"
    try:
        _wait_until(lambda: _answers(url), server)
        listed = installed_walletpos("admin", "--central", url, "--key", admin_key,
                                     "conflicts", "--json")
        assert json.loads(listed.stdout)["conflicts"] == []
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=HANG_GUARD_S)
    # A later start (after an upgrade): migrations only, the same admin key, no second one.
    again = subprocess.run(as_service_user(service, prepare), env=env, capture_output=True,
                           text=True, check=True)
    assert json.loads(again.stdout) == {"migrated": True}
    assert json.loads(key_file.read_text())["admin_key"] == admin_key


def _answers(url: str) -> bool:
    try:
        return httpx.get(f"{url}/v1/health", timeout=2).status_code == 200
    except httpx.TransportError:
        return False


def _wait_until(condition, process: subprocess.Popen[str] | None = None) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + HANG_GUARD_S
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise AssertionError(process.stdout.read() if process.stdout else "exited")
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError("hang guard: the condition never held")


def _kiosks(pid: int) -> list[int]:
    """The session's child processes running the kiosk: `walletpos-screen kiosk` or the bundle
    it execs, not its `sleep` between restarts, nor a subshell it forks for `$(date)` (whose
    command line is still the session script's own until it execs)."""
    path = Path(f"/proc/{pid}/task/{pid}/children")
    children = [int(c) for c in path.read_text().split()] if path.exists() else []
    found = []
    for child in children:
        try:
            argv = Path(f"/proc/{child}/cmdline").read_bytes().split(b"\0")
            if b"kiosk" in argv and not any(b"kiosk-session" in a for a in argv):
                found.append(child)
        except FileNotFoundError:  # it ended while we looked
            pass
    return found


def test_kiosk_session_brings_a_crashed_kiosk_back(clean_env: dict[str, str], user_home: Path,
                                                   default_terminal: Path) -> None:
    # No user bus in this environment, so the session script supervises the kiosk itself;
    # the kiosk opens the user's default terminal folder, as at a real login.
    session = subprocess.Popen(["/opt/walletpos/bin/walletpos-kiosk-session"], env=clean_env,
                               cwd=user_home, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    try:
        _wait_until(lambda: len(_kiosks(session.pid)) == 1, session)
        [first] = _kiosks(session.pid)
        os.kill(first, signal.SIGKILL)  # a crash
        _wait_until(lambda: _kiosks(session.pid) not in ([], [first]), session)
        [second] = _kiosks(session.pid)
        session.send_signal(signal.SIGTERM)  # logging out
        assert session.wait(timeout=HANG_GUARD_S) == 0
        _wait_until(lambda: not Path(f"/proc/{second}").exists()
                    or "Z" in Path(f"/proc/{second}/stat").read_text().split()[2])
    finally:
        if session.poll() is None:
            session.kill()
