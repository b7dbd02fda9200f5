"""The scan loop: frames in on a background thread, debounced scan events out.

Every frame goes through the pipeline on this thread (never the UI thread). A frame may hold
several codes; each new one becomes its own ScanEvent. Events arrive through `on_scan` (called
on the loop thread; a Qt screen forwards it with a queued signal) and the `events` queue, and
every frame's detections, debounced or not, go to `on_detections` so a preview can draw the
corners. Each frame gets the plain pass plus one enhancement pass in rotation (see pipeline).
While nothing is read, the slow fallback decoder is tried on every `fallback_every`-th frame
after `fallback_after` misses: about 1 ms a frame on average, as insurance for real scenes our
synthetic corpus does not model (on the corpus it reads nothing the passes miss).
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass

from pos_app.scanner.debounce import Debouncer
from pos_app.scanner.decoders import Detection, Point
from pos_app.scanner.frames import Frame, FrameSource, SourceState
from pos_app.scanner.pipeline import ScanPipeline

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ScanEvent:
    text: str
    corners: tuple[Point, ...]
    decoder: str
    frame_index: int
    t: float


class ScanLoop:
    def __init__(self, source: FrameSource, pipeline: ScanPipeline | None = None, *,
                 debounce: float = 1.0, fallback_after: int = 5, fallback_every: int = 10,
                 on_scan: Callable[[ScanEvent], None] | None = None,
                 on_detections: Callable[[Frame, list[Detection]], None] | None = None) -> None:
        self.source = source
        self.pipeline = pipeline  # built on the loop thread if None (decoders are per thread)
        self.debouncer = Debouncer(debounce)
        self.fallback_after = fallback_after
        self.fallback_every = max(1, fallback_every)
        self.on_scan = on_scan
        self.on_detections = on_detections
        self.events: queue.Queue[ScanEvent] = queue.Queue()
        self.frames_seen = 0
        self._misses = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> ScanLoop:
        if self._thread is not None:
            raise RuntimeError("ScanLoop already started")
        if self.source.status.state is SourceState.STOPPED:
            self.source.start()
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="walletpos-scan", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 2.0) -> None:
        self._stop.set()
        self.source.stop(timeout)
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout)

    def join(self, timeout: float | None = None) -> bool:
        """Wait until the source is exhausted (recordings); True if the loop has finished."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
            return not thread.is_alive()
        return True

    def __enter__(self) -> ScanLoop:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def process(self, frame: Frame) -> list[ScanEvent]:
        """Decode one frame and return its new (debounced) events; the loop body, public so
        a caller with its own frames can drive it synchronously."""
        if self.pipeline is None:
            self.pipeline = ScanPipeline()
        self.frames_seen += 1
        use_fallback = (self._misses >= self.fallback_after
                        and self._misses % self.fallback_every == 0)
        found = self.pipeline.decode(frame.gray, fallback=use_fallback,
                                     only_pass=self.frames_seen)
        self._misses = 0 if found else self._misses + 1
        if self.on_detections is not None:
            self.on_detections(frame, found)
        events = [ScanEvent(d.text, d.corners, d.decoder, frame.index, frame.t)
                  for d in found if self.debouncer.accept(d.text, frame.t)]
        for event in events:
            self.events.put(event)
            if self.on_scan is not None:
                self.on_scan(event)
        return events

    def _run(self) -> None:
        while not self._stop.is_set():
            frame = self.source.read(timeout=0.1)
            if frame is None:
                if self.source.finished:
                    return
                continue
            try:
                self.process(frame)
            except Exception:  # a bad frame or a callback bug must not end scanning
                log.exception("scan loop: frame %d failed", frame.index)
