"""Placeholder until the scanner lands."""


def scan() -> None:
    raise SystemExit("scan not ready")
