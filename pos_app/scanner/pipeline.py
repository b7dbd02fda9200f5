"""The decode pipeline: which decoder and which image passes run on a frame, in what order.

Order comes from bench/scan_bench.py on the camera-like corpus (figures in docs/PERFORMANCE.md):
the primary decoder on the plain frame reads most codes in a couple of milliseconds; when it
reads nothing, three cheap passes recover most of the rest, each aimed at one hardship —
an unsharp mask (defocus, dim), CLAHE local contrast (dim, glare, noise), a 2x upscale (small
codes, JPEG blocks) — and the pipeline stops at the first pass that reads anything ("first hit
wins"). On a live camera the loop runs one enhancement pass per frame, in rotation: an empty
counter then costs a fifth of running all three, and a card in view for three frames has had
them all. The slow fallback decoder runs only when asked (`fallback=True`): the scan loop asks
on a few frames while nothing is read, `walletpos scan` asks on every image.
"""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np

from pos_app.scanner.decoders import Decoder, Detection, make_decoder

_CLAHE_CLIP, _CLAHE_TILES = 3.0, (8, 8)


def to_gray(image: np.ndarray) -> np.ndarray:
    """2-D uint8 from a gray, BGR or BGRA frame."""
    if image.ndim == 2:
        gray = image
    elif image.shape[2] == 4:
        gray = cv2.cvtColor(image, cv2.COLOR_BGRA2GRAY)
    else:
        gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    if gray.dtype != np.uint8:
        gray = cv2.normalize(gray, None, 0, 255, cv2.NORM_MINMAX).astype(np.uint8)
    return np.ascontiguousarray(gray)


def _unsharp(gray: np.ndarray) -> np.ndarray:
    return cv2.addWeighted(gray, 2.0, cv2.GaussianBlur(gray, (0, 0), 2.0), -1.0, 0)


class ScanPipeline:
    """Primary decoder, enhancement passes on a miss, optional slow fallback decoder.

    Not thread-safe (decoders hold library state): one pipeline per thread.
    """

    def __init__(self, primary: Decoder | str = "zxing",
                 fallback: Decoder | str | None = "opencv", *, enhance: bool = True) -> None:
        self.primary = make_decoder(primary) if isinstance(primary, str) else primary
        self.fallback = make_decoder(fallback) if isinstance(fallback, str) else fallback
        self._clahe = cv2.createCLAHE(clipLimit=_CLAHE_CLIP, tileGridSize=_CLAHE_TILES)
        passes: list[tuple[str, Callable[[np.ndarray], list[Detection]]]] = []
        if enhance:
            passes = [
                ("unsharp", lambda g: self.primary.decode(_unsharp(g))),
                ("clahe", lambda g: self.primary.decode(self._clahe.apply(g))),
                ("upscale", self._upscaled),
            ]
        self._passes = passes

    @property
    def pass_count(self) -> int:
        """Enhancement passes after the plain one (the scan loop rotates through them)."""
        return len(self._passes)

    def decode(self, image: np.ndarray, *, fallback: bool = False,
               only_pass: int | None = None) -> list[Detection]:
        """Codes in one frame (distinct texts), from the first pass that reads any.

        `only_pass=k` runs the plain pass and then enhancement pass k (mod pass_count) only:
        the live loop's budget, since a card stays in view for many frames.
        """
        gray = to_gray(image)
        found = self.primary.decode(gray)
        passes = self._passes
        if only_pass is not None and passes:
            passes = [passes[only_pass % len(passes)]]
        for _, run in passes:
            if found:
                break
            found = run(gray)
        if not found and fallback and self.fallback is not None:
            found = self.fallback.decode(gray)
        return _distinct(found)

    def decode_image(self, image: np.ndarray) -> list[Detection]:
        """A still image with no frame budget (the `walletpos scan` support tool)."""
        return self.decode(image, fallback=True)

    def _upscaled(self, gray: np.ndarray) -> list[Detection]:
        big = cv2.resize(gray, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)
        # zxing's own downscaling would undo the upscale; other decoders take no such option.
        if self.primary.name == "zxing":
            found = self.primary.decode(big, try_downscale=False)  # type: ignore[call-arg]
        else:
            found = self.primary.decode(big)
        return [d.scaled(2.0) for d in found]


def _distinct(found: list[Detection]) -> list[Detection]:
    seen: set[str] = set()
    out = []
    for d in found:
        if d.text not in seen:
            seen.add(d.text)
            out.append(d)
    return out
