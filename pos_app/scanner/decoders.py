"""QR decoders behind one small interface: grayscale image in, detections (text + corners) out.

Each decoder is a thin adapter over one library, reads QR codes only (our cards carry nothing
else, and every extra symbology is one more way to misread a cluttered counter), and turns
every library failure into "nothing found": a hostile or broken frame must never raise out of a
decoder. A decoder instance holds library state (OpenCV detectors are not thread-safe), so each
thread uses its own; the scan loop owns one pipeline.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from core.errors import WalletError

Point = tuple[float, float]
DECODER_NAMES = ("zxing", "pyzbar", "opencv")


class DecoderUnavailable(WalletError):
    """The decoder's library (or the system library under it) is not installed."""

    reason = "decoder_unavailable"


@dataclass(frozen=True)
class Detection:
    """One code read in one frame. Corners are in frame pixels, clockwise where known."""

    text: str
    corners: tuple[Point, ...]
    decoder: str

    def scaled(self, factor: float) -> Detection:
        """The same detection with corners divided by `factor` (for passes on a resized image)."""
        pts = tuple((x / factor, y / factor) for x, y in self.corners)
        return Detection(self.text, pts, self.decoder)


class Decoder(Protocol):
    name: str

    def decode(self, gray: np.ndarray) -> list[Detection]:
        """All QR codes readable in a 2-D uint8 image; [] when none (never raises)."""
        ...


def _bytes_to_text(data: bytes) -> str:
    # A QR may carry arbitrary bytes; keep them visible to the parser, which refuses junk.
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


class ZxingDecoder:
    """zxing-cpp: the fastest and most tolerant reader we measured; the default."""

    name = "zxing"

    def __init__(self) -> None:
        try:
            import zxingcpp
        except ImportError as exc:  # pragma: no cover - a declared dependency
            raise DecoderUnavailable("zxing-cpp is not installed") from exc
        self._zx = zxingcpp
        # Plain: the payload's own characters, not zxing's human-readable escaping of them.
        self._options = {"formats": zxingcpp.BarcodeFormat.QRCode,
                         "text_mode": zxingcpp.TextMode.Plain}

    def decode(self, gray: np.ndarray, *, try_downscale: bool = True) -> list[Detection]:
        try:
            results = self._zx.read_barcodes(gray, try_downscale=try_downscale, **self._options)
        except Exception:  # the library is fed camera garbage; any failure means "no code"
            return []
        out = []
        for r in results:
            if not r.valid:
                continue
            p = r.position
            corners = tuple((float(q.x), float(q.y)) for q in
                            (p.top_left, p.top_right, p.bottom_right, p.bottom_left))
            out.append(Detection(r.text, corners, self.name))
        return out


class PyzbarDecoder:
    """pyzbar over the system zbar library: supported because existing setups use it."""

    name = "pyzbar"

    def __init__(self) -> None:
        try:
            from pyzbar import pyzbar
        except (ImportError, OSError) as exc:  # OSError/ImportError: libzbar0 missing
            raise DecoderUnavailable(
                "pyzbar needs the zbar library (Debian/Ubuntu: apt-get install libzbar0)"
            ) from exc
        self._pyzbar = pyzbar
        self._symbols = [pyzbar.ZBarSymbol.QRCODE]

    def decode(self, gray: np.ndarray) -> list[Detection]:
        try:
            results = self._pyzbar.decode(gray, symbols=self._symbols)
        except Exception:
            return []
        return [Detection(_bytes_to_text(r.data),
                          tuple((float(p.x), float(p.y)) for p in r.polygon), self.name)
                for r in results]


class OpenCvDecoder:
    """OpenCV's QR detector; the Aruco-based one by default, the classic one on request.

    Too slow for every frame (tens of ms at 1280x720) but it reads some dim, low-contrast and
    strongly tilted frames the others miss, hence the fallback role.
    """

    def __init__(self, aruco: bool = True) -> None:
        import cv2

        self._cv2 = cv2
        self.name = "opencv" if aruco else "opencv-classic"
        self._detector = cv2.QRCodeDetectorAruco() if aruco else cv2.QRCodeDetector()

    def decode(self, gray: np.ndarray) -> list[Detection]:
        try:
            ok, texts, points, _ = self._detector.detectAndDecodeMulti(gray)
        except self._cv2.error:  # e.g. kmeans assertions on some cluttered frames
            return []
        if not ok or points is None:
            return []
        return [Detection(text, tuple((float(x), float(y)) for x, y in quad), self.name)
                for text, quad in zip(texts, points, strict=False) if text]


_FACTORIES: dict[str, Callable[[], Decoder]] = {
    "zxing": ZxingDecoder,
    "pyzbar": PyzbarDecoder,
    "opencv": OpenCvDecoder,
    "opencv-classic": lambda: OpenCvDecoder(aruco=False),
}


def make_decoder(name: str) -> Decoder:
    """A decoder by name: "zxing", "pyzbar", "opencv" (Aruco) or "opencv-classic"."""
    try:
        factory = _FACTORIES[name]
    except KeyError:
        raise DecoderUnavailable(
            f"unknown decoder {name!r}; choose one of {', '.join(_FACTORIES)}",
            reason="unknown_decoder") from None
    return factory()
