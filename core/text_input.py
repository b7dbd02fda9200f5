"""Checks on text that arrives from outside (typed at the till, a CLI argument, a file) before
it reaches anything that writes: a size limit and no control characters."""

from __future__ import annotations

from core.errors import InvalidInput


def check_text(value: str | None, name: str, limit: int = 4096) -> None:
    """Refuse hostile or oversized strings before they reach anything that writes."""
    if value is None:
        return
    if len(value.encode("utf-8", "surrogatepass")) > limit:
        raise InvalidInput(f"{name} is longer than {limit} bytes", reason="input_too_long")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        raise InvalidInput(f"{name} contains control characters", reason="invalid_input")
