"""dist/walletpos_VERSION_ARCH.deb from the bundle in dist/walletpos, with dpkg-deb alone.

What goes where (README "Install at a store", "Run central in production"):
  /opt/walletpos/                 the bundle, plus bin/ (the screen launcher, the kiosk
                                  session, central's first-start/upgrade step)
  /usr/bin/walletpos              a symlink to /opt/walletpos/walletpos
  /usr/share/applications/        menu entries: counter, kiosk, manager
  /usr/share/icons/hicolor/       their icons, PNG sizes rendered from resources/icons
  /usr/share/walletpos/           the kiosk's opt-in autostart entry
  /lib/systemd/system/            walletpos-central.service (installed, not enabled)
  /usr/lib/systemd/user/          walletpos-kiosk.service
  /etc/walletpos/central.env      central's settings (a conffile: kept across upgrades)
Depends come from packaging/system-packages.txt, which packaging/depends.py checks against
what the bundle links.

    python packaging/build_deb.py [--bundle dist/walletpos] [--out dist]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from depends import declared  # noqa: E402 - a sibling script, not a package
from icons import render  # noqa: E402

DEB = HERE / "deb"
MAINTAINER = "walletpos maintainers <walletpos@localhost>"


def _run(*cmd: str) -> str:
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.strip()


def _install(src: Path, dest: Path, mode: int = 0o644) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dest)
    dest.chmod(mode)


def control(version: str, arch: str, installed_kb: int) -> str:
    libc = _run("dpkg-query", "-W", "-f", "${Version}", "libc6").split("-")[0]
    depends = [f"libc6 (>= {libc})"] + declared(HERE / "system-packages.txt")
    return "\n".join([
        "Package: walletpos",
        f"Version: {version}",
        f"Architecture: {arch}",
        f"Maintainer: {MAINTAINER}",
        f"Installed-Size: {installed_kb}",
        f"Depends: {', '.join(depends)}",
        "Recommends: pulseaudio | pipewire-pulse",
        "Section: misc",
        "Priority: optional",
        "Description: offline-capable gift-card and loyalty terminal, and its central",
        " The store counter, the customer kiosk and the manager's screens (Qt), the",
        " walletpos command line, and the central service (systemd unit",
        " walletpos-central, not enabled until asked). Runs from /opt/walletpos with",
        " its own Python; takes system libraries from Debian.",
        "",
    ])


def stage(bundle: Path, root: Path) -> None:
    opt = root / "opt" / "walletpos"
    shutil.copytree(bundle, opt, symlinks=True)
    for script in sorted((DEB / "bin").iterdir()):
        _install(script, opt / "bin" / script.name, 0o755)
    (root / "usr" / "bin").mkdir(parents=True)
    (root / "usr" / "bin" / "walletpos").symlink_to("/opt/walletpos/walletpos")
    for name in ("counter", "kiosk", "manager"):
        _install(DEB / f"walletpos-{name}.desktop",
                 root / "usr/share/applications" / f"walletpos-{name}.desktop")
    _install(DEB / "walletpos-kiosk-autostart.desktop",
             root / "usr/share/walletpos/walletpos-kiosk-autostart.desktop")
    render(root / "usr/share/icons")
    _install(DEB / "walletpos-central.service",
             root / "lib/systemd/system/walletpos-central.service")
    _install(DEB / "walletpos-kiosk.service", root / "usr/lib/systemd/user/walletpos-kiosk.service")
    _install(DEB / "central.env", root / "etc/walletpos/central.env")
    _install(ROOT / "README.md", root / "usr/share/doc/walletpos/README.md")


def metadata(root: Path, version: str, arch: str) -> None:
    meta = root / "DEBIAN"
    meta.mkdir()
    for script in ("postinst", "prerm", "postrm"):
        _install(DEB / script, meta / script, 0o755)
    (meta / "conffiles").write_text("/etc/walletpos/central.env\n")
    sums = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink() and meta not in path.parents:
            digest = hashlib.md5(path.read_bytes()).hexdigest()  # noqa: S324 - dpkg's format
            sums.append(f"{digest}  {path.relative_to(root)}")
    (meta / "md5sums").write_text("\n".join(sums) + "\n")
    size_kb = sum(p.lstat().st_size for p in root.rglob("*")) // 1024
    (meta / "control").write_text(control(version, arch, size_kb))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, default=ROOT / "dist" / "walletpos")
    parser.add_argument("--out", type=Path, default=ROOT / "dist")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "deb")
    args = parser.parse_args()
    # The version the bundle itself reports: the .deb can never disagree with what it holds.
    version = _run(str(args.bundle / "walletpos"), "--version").split()[-1]
    arch = _run("dpkg", "--print-architecture")
    root = args.work / f"walletpos_{version}_{arch}"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    os.umask(0o022)
    stage(args.bundle, root)
    metadata(root, version, arch)
    out = args.out / f"walletpos_{version}_{arch}.deb"
    # zstd level 3: 4 s here against 66 s for dpkg's default gzip -9 at the same size (xz -1:
    # 74 s for a tenth less; docs/PERFORMANCE.md). Debian 12's dpkg reads it.
    subprocess.run(["dpkg-deb", "--root-owner-group", "-Zzstd", "-z3", "--build", str(root),
                    str(out)], check=True)
    shutil.rmtree(root)  # a second 420 MiB copy of the bundle; dpkg-deb -x restores it
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
