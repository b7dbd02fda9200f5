"""The scanner: camera frames, USB keyboard-wedge bursts and typed text become payload strings.

Why it is shaped this way. Two toolchains read QR codes here, on purpose (measured in
bench/scan_bench.py, figures in docs/PERFORMANCE.md):

- zxing-cpp is the primary decoder: on our camera-like 1280x720 corpus it reads the most codes
  at about a tenth of the cost of the others, so it runs on every frame, and a few cheap
  enhancement passes (unsharp mask, CLAHE, 2x upscale) run only when the plain pass reads
  nothing. pyzbar can take its place for setups that already use zbar.
- OpenCV's QRCodeDetectorAruco is the fallback: too slow for every frame, but it reads some
  frames the others miss, so the scan loop tries it on every few frames while the primary keeps
  failing, and `walletpos scan` (files, no frame budget) always tries it last.

A keyboard-wedge scanner is a keyboard that types very fast and presses Enter; `wedge` tells
such a burst from a person typing, and `wedge_filter` (the only module importing Qt) applies
that to every key event of the application without eating anybody's typing.

Nothing here parses payloads: a payload string goes to core.payload.parse_payload.

Public API: FrameSource, SourceStatus, SourceState, Frame, find_cameras (frames);
Decoder, Detection, make_decoder, DECODER_NAMES (decoders); ScanPipeline (pipeline);
ScanLoop, ScanEvent (loop); Debouncer (debounce); WedgeDetector (wedge);
WedgeFilter (wedge_filter, import it from there: it needs PySide6). Everything else is internal.
"""

from pos_app.scanner.debounce import Debouncer
from pos_app.scanner.decoders import (
    DECODER_NAMES,
    Decoder,
    DecoderUnavailable,
    Detection,
    make_decoder,
)
from pos_app.scanner.frames import Frame, FrameSource, SourceState, SourceStatus, find_cameras
from pos_app.scanner.loop import ScanEvent, ScanLoop
from pos_app.scanner.pipeline import ScanPipeline
from pos_app.scanner.wedge import WedgeDetector

__all__ = [
    "DECODER_NAMES",
    "Debouncer",
    "Decoder",
    "DecoderUnavailable",
    "Detection",
    "Frame",
    "FrameSource",
    "ScanEvent",
    "ScanLoop",
    "ScanPipeline",
    "SourceState",
    "SourceStatus",
    "WedgeDetector",
    "find_cameras",
    "make_decoder",
]
