"""How every command reports: JSON on stdout with `--json`, short human text otherwise, and
errors as {"error": reason, "message": text} with exit code 2 (1 for a failed verification).
A declined redemption is an answer, not an error: it exits 0 with "status": "declined"."""

from __future__ import annotations

import datetime as dt
import json
import sys
from typing import Any, NoReturn

import typer

from core.errors import WalletError


def emit(data: dict[str, Any], as_json: bool, human: str | None = None) -> None:
    if as_json:
        sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write((human if human is not None else _human(data)) + "\n")
    sys.stdout.flush()


def fail(reason: str, message: str, as_json: bool, code: int = 2, **extra: Any) -> NoReturn:
    payload = {"error": reason, "message": message, **extra}
    if as_json:
        sys.stdout.write(json.dumps(payload, ensure_ascii=False) + "\n")
        sys.stdout.flush()
    else:
        sys.stderr.write(f"error: {message} ({reason})\n")
    raise typer.Exit(code)


def fail_from(exc: WalletError, as_json: bool, code: int = 2) -> NoReturn:
    fail(exc.reason, exc.message, as_json, code)


def _human(data: dict[str, Any]) -> str:
    return "\n".join(f"{key}: {value}" for key, value in data.items())


def iso(unix_s: float | None) -> str | None:
    """A Unix time as ISO 8601 with its zone, in this machine's zone (2026-12-02T11:30:00+01:00);
    None stays None."""
    if unix_s is None:
        return None
    return dt.datetime.fromtimestamp(unix_s, tz=dt.UTC).astimezone().isoformat(
        timespec="seconds")
