"""The Debian packages the bundle takes from the system, found rather than guessed.

The bundle leaves Debian's own libraries to Debian (packaging/walletpos.spec), so the .deb must
depend on every package whose libraries its ELF files link. Every ELF file in the bundle goes
through ldd as the bundle's loader would resolve it (LD_LIBRARY_PATH on _internal, as the
PyInstaller bootloader sets it); each library resolved outside the bundle is mapped to its
package with `dpkg -S`. `--check LIST` fails when a library does not resolve or comes from a
package that neither LIST nor what LIST depends on brings: that is how `libxcb-icccm4` or
`libxcb-cursor0` cannot go missing again. A few plugins are optional: Qt skips them when their
libraries are absent (the GTK 3 theme), so their needs are reported but not required.

    python packaging/depends.py dist/walletpos [--check packaging/system-packages.txt]
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

# Qt loads these only when present and carries on without them.
OPTIONAL = re.compile(r"plugins/platformthemes/libqgtk3\.so$")
LDD_LINE = re.compile(r"^\s*(\S+) => (not found|(/\S+))")


def elf_files(bundle: Path) -> list[Path]:
    found = []
    for path in sorted(bundle.rglob("*")):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as handle:
                if handle.read(4) == b"\x7fELF":
                    found.append(path)
    return found


def linked(bundle: Path) -> dict[Path, dict[str, str | None]]:
    """ELF file -> {library name: resolved path outside the bundle, or None when not found}."""
    env = {**os.environ, "LD_LIBRARY_PATH": str(bundle / "_internal")}
    result: dict[Path, dict[str, str | None]] = {}
    inside = str(bundle.resolve())
    for elf in elf_files(bundle):
        out = subprocess.run(["ldd", str(elf)], capture_output=True, text=True, env=env).stdout
        libs: dict[str, str | None] = {}
        for line in out.splitlines():
            match = LDD_LINE.match(line)
            if match is None:
                continue
            name, target = match.group(1), match.group(3)
            if target is None:
                libs[name] = None
            elif not os.path.realpath(target).startswith(inside):
                libs[name] = target
        result[elf] = libs
    return result


def packages_of(paths: set[str]) -> dict[str, str]:
    """Library path -> Debian package. Debian 12 merges /lib into /usr/lib, and dpkg knows
    each file under one of the two names, so both are asked."""
    candidates: dict[str, str] = {}
    for path in paths:
        for alias in {path, os.path.realpath(path), "/usr" + path if not path.startswith("/usr")
                      else path.removeprefix("/usr")}:
            candidates[alias] = path
    out = subprocess.run(["dpkg", "-S", *sorted(candidates)], capture_output=True,
                         text=True).stdout
    owner: dict[str, str] = {}
    for line in out.splitlines():
        package, _, file = line.partition(": ")
        for name in package.split(", "):
            if file in candidates:
                owner.setdefault(candidates[file], name.split(":")[0])
    return owner


def report(bundle: Path) -> tuple[set[str], set[str], list[str]]:
    """(required packages, optional-only packages, problems)."""
    required: set[str] = set()
    optional: set[str] = set()
    problems: list[str] = []
    links = linked(bundle)
    owner = packages_of({p for libs in links.values() for p in libs.values() if p})
    for elf, libs in links.items():
        is_optional = bool(OPTIONAL.search(str(elf)))
        for name, path in libs.items():
            if path is None:
                if not is_optional:
                    problems.append(f"{elf.relative_to(bundle)}: {name} not found")
                continue
            package = owner.get(path)
            if package is None:
                problems.append(f"{elf.relative_to(bundle)}: {path} belongs to no package")
                continue
            (optional if is_optional else required).add(package)
    return required, optional - required, problems


def declared(listing: Path) -> list[str]:
    """Package names from a list file: one a line, `#` starts a comment."""
    return [line.split("#")[0].strip() for line in listing.read_text().splitlines()
            if line.split("#")[0].strip()]


def closure(packages: list[str]) -> set[str]:
    """The packages and everything they depend on, as installed here (dpkg's own records):
    declaring libxcb-cursor0 brings libxcb1 and libc6, so the list names what we chose."""
    out = subprocess.run(["dpkg-query", "-W", "-f", "${Package}\t${Pre-Depends}, ${Depends}\n"],
                         capture_output=True, text=True).stdout
    graph: dict[str, set[str]] = {}
    for line in out.splitlines():
        name, _, deps = line.partition("\t")
        # "a (>= 1) | b, c:any" -> every alternative counts (whichever one is installed)
        graph[name] = {alt.split()[0].split(":")[0] for dep in deps.split(",")
                       for alt in dep.split("|") if alt.strip()}
    seen: set[str] = set()
    todo = list(packages)
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo += graph.get(name, ())
    return seen


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bundle", type=Path)
    parser.add_argument("--check", type=Path, help="a package list that must cover them")
    args = parser.parse_args()
    required, optional, problems = report(args.bundle)
    print("required:", " ".join(sorted(required)))
    print("optional:", " ".join(sorted(optional)))
    if args.check is not None:
        missing = required - closure(declared(args.check))
        problems += [f"{package} is needed but not in {args.check}" for package in
                     sorted(missing)]
    for problem in problems:
        print("problem:", problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
