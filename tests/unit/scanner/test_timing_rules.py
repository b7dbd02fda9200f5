"""The pure timing rules: debounce and keyboard-wedge bursts (no threads, no Qt, no clock)."""

from __future__ import annotations

from pos_app.scanner import Debouncer, WedgeDetector


def test_a_card_held_in_view_is_reported_once():
    d = Debouncer(window=1.0)
    seen = [d.accept("GC-1", i / 30) for i in range(300)]  # ten seconds in front of the camera
    assert seen.count(True) == 1 and seen[0]


def test_the_same_card_again_after_a_second_away_is_reported_again():
    d = Debouncer(window=1.0)
    assert d.accept("GC-1", 0.0)
    assert not d.accept("GC-1", 0.5)
    assert d.accept("GC-1", 1.6)  # gone from 0.5 to 1.6


def test_different_cards_do_not_debounce_each_other():
    d = Debouncer(window=1.0)
    assert d.accept("GC-1", 0.0) and d.accept("GC-2", 0.01) and not d.accept("GC-1", 0.02)


def _type(det: WedgeDetector, text: str, start: float, gap: float) -> tuple[str, float]:
    released, t = "", start
    for ch in text:
        released += det.key(ch, t)
        t += gap
    return released, t


def test_a_fast_burst_ending_in_enter_is_a_scan():
    det = WedgeDetector(max_gap=0.05)
    released, t = _type(det, "GC-7Q2M-9XKD-4HBT", 10.0, 0.004)
    assert released == ""
    assert det.enter(t) == "GC-7Q2M-9XKD-4HBT"
    assert det.held == ""


def test_human_typing_is_released_key_by_key_and_enter_is_not_a_scan():
    det = WedgeDetector(max_gap=0.05)
    released, t = _type(det, "12.50", 0.0, 0.15)
    assert released == "12.5"  # each key released when the next one came too late
    assert det.enter(t) is None
    assert det.flush() == "0"


def test_a_short_fast_burst_is_not_a_scan():
    det = WedgeDetector(max_gap=0.05, min_length=6)
    _, t = _type(det, "42", 0.0, 0.01)
    assert det.enter(t) is None and det.flush() == "42"


def test_a_pause_inside_a_burst_splits_it():
    det = WedgeDetector(max_gap=0.05)
    released, t = _type(det, "GC-7Q2M", 0.0, 0.005)
    released2, t = _type(det, "-9XKD-4HBT", t + 0.5, 0.005)
    assert released == "" and released2 == "GC-7Q2M"
    assert det.enter(t) == "-9XKD-4HBT"


def test_slow_enter_after_a_fast_burst_is_not_a_scan():
    det = WedgeDetector(max_gap=0.05)
    _, t = _type(det, "GC-7Q2M-9XKD-4HBT", 0.0, 0.004)
    assert det.enter(t + 1.0) is None
