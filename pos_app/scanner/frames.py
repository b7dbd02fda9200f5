"""Frames from a camera, a video file or an image sequence, captured on a worker thread.

One class for all three so that tests and benchmarks push recorded frames through the very
capture path the counter uses. A live camera keeps only the newest frames (a slow decoder must
see the present, not a backlog); a recording delivers every frame in order and waits for the
consumer, so a test sees the same frames on any machine, stamped with media time (index / fps)
rather than wall time.

When the device cannot be opened or stops delivering (unplugged, file gone), the source reports
it in `status` and keeps trying to reopen it every `retry_interval` seconds until stopped; a
recording that simply ends is ENDED unless `follow=True`, which treats the end like an unplug.
"""

from __future__ import annotations

import glob
import os
import queue
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from pos_app.scanner.pipeline import to_gray

Device = int | str | Path
_IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp", ".pgm")


class SourceState(Enum):
    STARTING = "starting"
    RUNNING = "running"
    NOT_FOUND = "not_found"  # never opened (yet): no such camera or file
    RECONNECTING = "reconnecting"  # was running, lost it, trying to reopen
    ENDED = "ended"  # a recording reached its end
    STOPPED = "stopped"


@dataclass(frozen=True)
class SourceStatus:
    state: SourceState
    message: str


@dataclass(frozen=True)
class Frame:
    index: int  # counts delivered frames from 0, across reconnects
    t: float  # seconds: monotonic clock for a camera, media time for a recording
    image: np.ndarray  # as captured (BGR or gray), for the preview
    gray: np.ndarray  # 2-D uint8, what decoders read


def find_cameras(max_index: int = 8) -> list[int]:
    """Camera indexes that are present. On Linux from /dev/video*, without opening them."""
    if sys.platform.startswith("linux"):
        found = []
        for path in glob.glob("/dev/video*"):
            suffix = path.removeprefix("/dev/video")
            if suffix.isdigit():
                found.append(int(suffix))
        return sorted(found)
    present = []
    for index in range(max_index):
        cap = cv2.VideoCapture(index)
        if cap.isOpened():
            present.append(index)
        cap.release()
    return present


class _DirectoryCapture:
    """VideoCapture's read/release over a folder of images, in name order."""

    def __init__(self, folder: Path) -> None:
        self._files = sorted(p for p in folder.iterdir() if p.suffix.lower() in _IMAGE_SUFFIXES)
        self._next = 0

    def isOpened(self) -> bool:  # noqa: N802 - the VideoCapture method name
        return bool(self._files)

    def read(self) -> tuple[bool, np.ndarray | None]:
        while self._next < len(self._files):
            path = self._files[self._next]
            self._next += 1
            image = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
            if image is not None:
                return True, image
        return False, None

    def get(self, _prop: int) -> float:
        return 0.0

    def release(self) -> None:
        self._files = []


class FrameSource:
    """Frames from `device` on a worker thread: start(), read()/frames(), stop().

    `device`: a camera index (0), a device path ("/dev/video2"), a video file, an image
    sequence pattern ("shots/frame_%04d.png") or a folder of images. Width, height and fps are
    requests to a camera; recordings keep their own. `on_status` is called from the worker
    thread on every change of state.
    """

    def __init__(self, device: Device, *, width: int = 1280, height: int = 720,
                 fps: float = 30.0, retry_interval: float = 1.0, follow: bool = False,
                 live: bool | None = None, queue_size: int = 4,
                 on_status: Callable[[SourceStatus], None] | None = None) -> None:
        self.device = device
        self.width, self.height, self.fps = width, height, fps
        self.retry_interval = retry_interval
        self.follow = follow
        self.live = _is_camera(device) if live is None else live
        self._on_status = on_status
        self._frames: queue.Queue[Frame] = queue.Queue(maxsize=max(1, queue_size))
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._status = SourceStatus(SourceState.STOPPED, "not started")
        self._status_lock = threading.Lock()
        self._delivered = 0
        self.reconnects = 0

    # ---- public ------------------------------------------------------------------------------

    @property
    def status(self) -> SourceStatus:
        with self._status_lock:
            return self._status

    @property
    def finished(self) -> bool:
        """True once no more frames will come (ended or stopped) and all were read."""
        state = self.status.state
        return state in (SourceState.ENDED, SourceState.STOPPED) and self._frames.empty()

    def start(self) -> FrameSource:
        if self._thread is not None:
            raise RuntimeError("FrameSource already started")
        self._stop.clear()
        self._set_status(SourceState.STARTING, f"opening {self._describe()}")
        self._thread = threading.Thread(target=self._run, name="walletpos-frames", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 2.0) -> None:
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout)
        self._set_status(SourceState.STOPPED, "stopped")

    def read(self, timeout: float | None = None) -> Frame | None:
        """The next frame, or None if none came within `timeout` seconds."""
        try:
            return self._frames.get(timeout=timeout)
        except queue.Empty:
            return None

    def frames(self, poll: float = 0.1) -> Iterator[Frame]:
        """Every frame until the source ends or is stopped."""
        while True:
            frame = self.read(poll)
            if frame is not None:
                yield frame
            elif self.finished or self._stop.is_set():
                return

    def __enter__(self) -> FrameSource:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    # ---- worker thread -----------------------------------------------------------------------

    def _run(self) -> None:
        # OpenCV logs a warning on every failed open; a retry loop would flood the console.
        cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_ERROR)
        ever_opened = False
        while not self._stop.is_set():
            cap = self._open()
            if cap is None:
                if ever_opened:
                    self._set_status(SourceState.RECONNECTING,
                                     f"{self._describe()} was lost; waiting for it to come back")
                else:
                    self._set_status(SourceState.NOT_FOUND, self._not_found_message())
                self._stop.wait(self.retry_interval)
                continue
            if ever_opened:
                self.reconnects += 1
            ever_opened = True
            self._set_status(SourceState.RUNNING, f"reading {self._describe()}")
            try:
                self._pump(cap)
            finally:
                cap.release()
            if self._stop.is_set():
                break
            if not self.live and not self.follow:
                self._set_status(SourceState.ENDED, f"end of {self._describe()}")
                return
            self._set_status(SourceState.RECONNECTING,
                             f"{self._describe()} stopped sending frames; reconnecting")
            self._stop.wait(self.retry_interval)

    def _pump(self, cap: Any) -> None:
        media_fps = cap.get(cv2.CAP_PROP_FPS) or self.fps
        media_fps = media_fps if 1 <= media_fps <= 1000 else self.fps
        while not self._stop.is_set():
            ok, image = cap.read()
            if not ok or image is None:
                return
            t = time.monotonic() if self.live else self._delivered / media_fps
            frame = Frame(self._delivered, t, image, to_gray(image))
            self._delivered += 1
            self._deliver(frame)

    def _deliver(self, frame: Frame) -> None:
        if self.live:  # newest wins: drop the oldest rather than fall behind the camera
            while True:
                try:
                    self._frames.put_nowait(frame)
                    return
                except queue.Full:
                    try:
                        self._frames.get_nowait()
                    except queue.Empty:
                        pass
        while not self._stop.is_set():  # a recording: every frame, at the consumer's pace
            try:
                self._frames.put(frame, timeout=0.1)
                return
            except queue.Full:
                continue

    def _open(self) -> Any | None:
        device = self.device
        if isinstance(device, Path) or (isinstance(device, str) and not device.isdigit()):
            path = Path(device)
            if path.is_dir():
                cap: Any = _DirectoryCapture(path)
                return cap if cap.isOpened() else None
            if "%" not in str(path) and not self.live and not path.exists():
                return None  # cheap, and keeps FFmpeg from logging about a missing file
            cap = cv2.VideoCapture(str(path), cv2.CAP_IMAGES if "%" in str(path) else cv2.CAP_ANY)
        else:
            cap = cv2.VideoCapture(int(device))
        if not cap.isOpened():
            cap.release()
            return None
        if self.live:
            cap.set(cv2.CAP_PROP_FRAME_WIDTH, self.width)
            cap.set(cv2.CAP_PROP_FRAME_HEIGHT, self.height)
            cap.set(cv2.CAP_PROP_FPS, self.fps)
            cap.set(cv2.CAP_PROP_BUFFERSIZE, 1)  # latency: do not queue stale frames in driver
        return cap

    def _describe(self) -> str:
        if isinstance(self.device, int) or (isinstance(self.device, str) and self.device.isdigit()):
            return f"camera {self.device}"
        return str(self.device)

    def _not_found_message(self) -> str:
        if self.live:
            cams = find_cameras()
            others = f" (cameras present: {', '.join(map(str, cams))})" if cams else \
                " (no camera is connected)"
            return (f"no {self._describe()}{others}; plug it in or choose another, "
                    "and check no other program is using it")
        return f"cannot open {self._describe()}; waiting for it to appear"

    def _set_status(self, state: SourceState, message: str) -> None:
        with self._status_lock:
            changed = self._status.state != state
            self._status = SourceStatus(state, message)
        if changed and self._on_status is not None:
            self._on_status(self._status)


def _is_camera(device: Device) -> bool:
    if isinstance(device, int):
        return True
    text = os.fspath(device)
    return text.isdigit() or text.startswith("/dev/video")
