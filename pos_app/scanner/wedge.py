"""Keyboard-wedge scanners: telling a scanner's burst of keys from a person typing.

A USB scanner in keyboard mode types its payload within a few milliseconds per key and presses
Enter; people leave 80 ms or more between keys. This class is the timing rule alone, with time
passed in, so it is tested without Qt and reused by any front end (wedge_filter is the Qt one).

Keys are *held* while they could still be the start of a burst and *released* as soon as they
cannot (a gap longer than `max_gap`, or an Enter that ends too short a run), so the front end
can hold them back from the focused widget and replay them: a person's typing arrives at most
`max_gap` late and is never lost; a scanner's payload never lands in the amount field.
"""

from __future__ import annotations


class WedgeDetector:
    def __init__(self, max_gap: float = 0.05, min_length: int = 6,
                 max_length: int = 4096) -> None:
        self.max_gap = max_gap  # seconds allowed between keys of one burst (and before Enter)
        self.min_length = min_length  # shortest payload we accept (our codes are 11+ chars)
        self.max_length = max_length
        self._held: list[str] = []
        self._last: float | None = None

    @property
    def held(self) -> str:
        return "".join(self._held)

    def key(self, char: str, t: float) -> str:
        """A printable key at time `t`; returns keys released as typing ("" when still held)."""
        released = ""
        if self._held and (self._last is None or t - self._last > self.max_gap):
            released = self.flush()
        self._held.append(char)
        self._last = t
        if len(self._held) > self.max_length:
            released += self.flush()
        return released

    def enter(self, t: float) -> str | None:
        """Enter at time `t`: the payload if it ends a burst, else None (call flush() then)."""
        fast = self._last is not None and t - self._last <= self.max_gap
        if fast and len(self._held) >= self.min_length:
            payload = self.held
            self._held.clear()
            self._last = None
            return payload
        return None

    def flush(self) -> str:
        """Release everything held (a pause, a non-text key, or the front end's timer)."""
        released = self.held
        self._held.clear()
        self._last = None
        return released
