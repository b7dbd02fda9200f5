"""The packaging sources stay consistent without building anything: the menu entries name
icons that exist and the launcher they install, the shell scripts parse, the package list is
what the Makefile installs and what the README tells a user to install."""

from __future__ import annotations

import configparser
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
DEB = ROOT / "packaging" / "deb"
sys.path.insert(0, str(ROOT / "packaging"))
import depends  # noqa: E402 - packaging/ is a folder of scripts, not a package


def desktop(name: str) -> configparser.SectionProxy:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(DEB / name, encoding="utf-8")
    return entry["Desktop Entry"]


@pytest.mark.parametrize("screen", ["counter", "kiosk", "manager"])
def test_menu_entry_names_its_icon_and_the_installed_launcher(screen: str) -> None:
    entry = desktop(f"walletpos-{screen}.desktop")
    assert (ROOT / "resources" / "icons" / f"{entry['Icon']}.svg").is_file()
    program, *args = entry["Exec"].split()
    assert program == "/opt/walletpos/bin/walletpos-screen" and args == [screen]
    assert (DEB / "bin" / "walletpos-screen").is_file()
    assert entry["Name[ja]"] and entry["Comment"]


def test_kiosk_autostart_runs_the_session_script() -> None:
    entry = desktop("walletpos-kiosk-autostart.desktop")
    assert entry["Exec"] == "/opt/walletpos/bin/walletpos-kiosk-session"
    assert (DEB / "bin" / "walletpos-kiosk-session").is_file()


@pytest.mark.parametrize("script", sorted(p.name for p in (DEB / "bin").iterdir())
                         + ["postinst", "prerm", "postrm"])
def test_shell_scripts_parse(script: str) -> None:
    path = DEB / "bin" / script if (DEB / "bin" / script).exists() else DEB / script
    assert path.read_text().startswith("#!/bin/sh\n")
    subprocess.run(["sh", "-n", str(path)], check=True)


def test_the_makefile_installs_the_package_list() -> None:
    listed = depends.declared(ROOT / "packaging" / "system-packages.txt")
    out = subprocess.run(["make", "-s", "-n", "system-packages"], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout
    loop = re.search(r"for p in (.*?); do", out)
    # The runtime list, then what only the tests need (Chromium for the console's pages),
    # which the package does not depend on.
    test_only = re.search(r"^TEST_PACKAGES := (.*)$", (ROOT / "Makefile").read_text(),
                          re.MULTILINE)
    assert test_only is not None and "chromium" in test_only.group(1).split()
    assert loop is not None and loop.group(1).split() == listed + test_only.group(1).split()


def test_the_readme_names_every_package() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [p for p in depends.declared(ROOT / "packaging" / "system-packages.txt")
               if p not in readme]
    assert missing == []


def test_the_central_unit_keeps_its_data_private() -> None:
    unit = (DEB / "walletpos-central.service").read_text()
    for line in ("User=walletpos", "StateDirectory=walletpos", "StateDirectoryMode=0700",
                 "UMask=0077", "ExecStartPre=/opt/walletpos/bin/walletpos-central-prepare",
                 "Restart=on-failure"):
        assert line in unit.splitlines()
