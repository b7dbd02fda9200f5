"""Debounce: one beep per card presentation, not one per frame.

A card held in front of the camera is read on frame after frame; it is reported once, and again
only after it has been out of sight for `window` seconds. The window runs from the last time the
payload was *seen*, so holding a card still for ten seconds still beeps once. Time is passed in
(monotonic seconds or media time), which keeps this pure and testable.
"""

from __future__ import annotations


class Debouncer:
    def __init__(self, window: float = 1.0) -> None:
        self.window = window
        self._last_seen: dict[str, float] = {}

    def accept(self, text: str, t: float) -> bool:
        """True when `text` seen at time `t` is a new presentation and should be reported."""
        last = self._last_seen.get(text)
        self._last_seen[text] = t
        if len(self._last_seen) > 64:  # a busy counter sees a few codes a minute; stay small
            self._last_seen = {k: v for k, v in self._last_seen.items()
                               if t - v < self.window}
        return last is None or t - last >= self.window or t < last

    def reset(self) -> None:
        self._last_seen.clear()
