"""Placeholder."""


def demo() -> None:
    raise SystemExit("demo not ready")
