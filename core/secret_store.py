"""Where a walletpos secret is kept outside the data it protects: the OS keyring through the
`keyring` library when a usable backend answers, else a 0600 file in a 0700 folder under the
OS user's config folder (platformdirs: `~/.config/walletpos/<folder>/` on Linux, honouring
XDG_CONFIG_HOME). Shared by central's key secret (wallet_sync.central.key_secret) and the
terminal's (pos_app.terminal.keystore), which each add their own environment variables first.

A keyring that is not there (keyring's `fail` backend raises) or that forgets (its `null`
backend accepts and returns nothing) counts as absent: a write is trusted only when reading
it back gives the value.
"""

from __future__ import annotations

import base64
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_config_dir


@dataclass(frozen=True)
class SecretPlace:
    """One kind of secret: its keyring service and its folder under the user config dir."""

    service: str  # keyring service name, e.g. "walletpos-terminal"
    folder: str  # e.g. "terminal-secrets"

    def file(self, name: str) -> Path:
        return Path(user_config_dir("walletpos")) / self.folder / f"{name}.secret"

    def keyring_get(self, name: str) -> str | None:
        try:
            import keyring

            return keyring.get_password(self.service, name)
        except Exception:  # no backend, a locked or absent Secret Service: there is no keyring
            return None

    def keyring_set(self, name: str, value: str) -> bool:
        """Whether the keyring now holds `value` (the null backend accepts and forgets)."""
        try:
            import keyring

            keyring.set_password(self.service, name, value)
            return keyring.get_password(self.service, name) == value
        except Exception:  # as above: no usable keyring here
            return False


def fresh_secret() -> bytes:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).rstrip(b"=")


def read_file(path: Path) -> bytes | None:
    try:
        return path.read_bytes().strip() or None
    except OSError:
        return None


def write_once(path: Path, value: bytes) -> bytes:
    """`value` into a new 0600 file (its folder 0700 if we make it); what is there already
    wins, so two processes starting at once end up with one secret."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        existing = read_file(path)
        if existing is None:
            raise
        return existing
    try:
        os.write(fd, value + b"\n")
        os.fsync(fd)
    finally:
        os.close(fd)
    return value
