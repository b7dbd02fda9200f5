"""Recorded frames through the real OpenCV capture path: FrameSource and ScanLoop.

The videos are made here with cv2.VideoWriter (MJPG) from generated frames; time inside a
recording is media time (frame index / fps), so debounce is checked without any wall clock.
"""

from __future__ import annotations

import time
from pathlib import Path

import cv2
import pytest
from scanner_frames import blank, frame, write_video

from pos_app.scanner import FrameSource, ScanLoop, ScanPipeline, SourceState

FPS = 30.0


def _wait_for(predicate, timeout: float = 10.0) -> None:
    # A guard against hanging forever, not a speed claim: the capture thread gets `timeout`
    # seconds to reach the state the test waits for.
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() >= deadline:
            pytest.fail("condition not reached")
        time.sleep(0.01)


def _plug_in(path: Path, frames: list) -> None:
    """Write the recording aside and move it into place: the device appears all at once."""
    write_video(path.with_suffix(".tmp.avi"), frames).replace(path)


def _events(loop: ScanLoop) -> list:
    out = []
    while not loop.events.empty():
        out.append(loop.events.get_nowait())
    return out


def test_a_video_file_delivers_every_frame_in_order_as_grayscale(tmp_path: Path):
    video = write_video(tmp_path / "v.avi", [blank(10 * i) for i in range(12)])
    with FrameSource(video) as source:
        frames = list(source.frames())
        assert source.status.state is SourceState.ENDED
    assert [f.index for f in frames] == list(range(12))
    assert frames[0].gray.shape == (720, 1280) and frames[0].gray.ndim == 2
    assert frames[3].t == 3 / FPS
    assert abs(int(frames[5].gray.mean()) - 50) <= 3


def test_an_image_sequence_folder_and_pattern(tmp_path: Path):
    for i in range(3):
        cv2.imwrite(str(tmp_path / f"shot_{i:03d}.png"), blank(40 * i))
    with FrameSource(tmp_path) as folder:
        assert len(list(folder.frames())) == 3
    with FrameSource(tmp_path / "shot_%03d.png") as pattern:
        assert len(list(pattern.frames())) == 3


def test_a_missing_camera_says_so_clearly():
    statuses = []
    source = FrameSource(97, retry_interval=0.05, on_status=statuses.append).start()
    try:
        _wait_for(lambda: source.status.state is SourceState.NOT_FOUND)
        assert "camera 97" in source.status.message
        assert "plug it in" in source.status.message
    finally:
        source.stop()
    assert source.read(timeout=0) is None


def test_the_source_waits_for_a_device_and_reconnects_after_losing_it(tmp_path: Path):
    path = tmp_path / "camera.avi"
    first = [frame(("GC-AAAA-0001", 300, 200))] * 6
    second = [frame(("GC-BBBB-0002", 600, 300))] * 6
    states: list[SourceState] = []
    source = FrameSource(path, follow=True, retry_interval=0.05, queue_size=2,
                         on_status=lambda s: states.append(s.state)).start()
    loop = ScanLoop(source, ScanPipeline(fallback=None))
    try:
        _wait_for(lambda: source.status.state is SourceState.NOT_FOUND)
        _plug_in(path, first)
        got = [loop.process(source.read(timeout=10)) for _ in range(2)]
        path.unlink()  # unplugged while running: the open handle drains, then it is gone
        while True:
            f = source.read(timeout=0.05)
            if f is not None:
                got.append(loop.process(f))
            elif source.status.state is SourceState.RECONNECTING:
                break
        _plug_in(path, second)
        for _ in range(30):  # frames left from the first recording come first, if any
            f = source.read(timeout=10)
            assert f is not None
            got.append(loop.process(f))
            if any(e.text == "GC-BBBB-0002" for e in got[-1]):
                break
    finally:
        loop.stop()
    texts = [e.text for events in got for e in events]
    assert texts == ["GC-AAAA-0001", "GC-BBBB-0002"]
    assert states[:4] == [SourceState.STARTING, SourceState.NOT_FOUND, SourceState.RUNNING,
                          SourceState.RECONNECTING]
    assert SourceState.RUNNING in states[4:] and source.reconnects >= 1


def test_scan_loop_debounces_reports_multi_code_frames_and_corners(tmp_path: Path):
    a = frame(("GC-AAAA-0001", 300, 200))
    ab = frame(("GC-AAAA-0001", 100, 150), ("LM-BBBB0002", 800, 300))
    frames = ([blank()] * 5 + [a] * 20  # held in view for 0.67 s: one event
              + [blank()] * 15 + [a] * 5  # away for 0.5 s: still the same presentation
              + [blank()] * 40 + [a] * 3  # away for 1.3 s: a new presentation
              + [ab] * 10)  # a second card joins the first in the same frame
    video = write_video(tmp_path / "counter.avi", frames)
    seen = []
    loop = ScanLoop(FrameSource(video), ScanPipeline(fallback=None), on_scan=seen.append)
    loop.start()
    assert loop.join(timeout=30)
    loop.stop()
    events = _events(loop)
    assert events == seen
    assert [(e.text, e.frame_index) for e in events] == [
        ("GC-AAAA-0001", 5), ("GC-AAAA-0001", 85), ("LM-BBBB0002", 88)]
    assert loop.frames_seen == len(frames)
    corners = events[2].corners
    assert len(corners) == 4 and all(790 <= x <= 1000 and 290 <= y <= 500 for x, y in corners)


def test_scan_loop_survives_a_failing_callback(tmp_path: Path):
    video = write_video(tmp_path / "v.avi", [frame(("GC-AAAA-0001", 300, 200))] * 3)

    def broken(_event):
        raise RuntimeError("screen bug")

    loop = ScanLoop(FrameSource(video), ScanPipeline(fallback=None), on_scan=broken).start()
    assert loop.join(timeout=30)
    loop.stop()
    assert loop.frames_seen == 3
