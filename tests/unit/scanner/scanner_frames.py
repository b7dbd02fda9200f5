"""Synthetic camera frames for scanner tests: QR codes drawn with OpenCV's own encoder."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

W, H = 1280, 720


def qr_symbol(text: str, module: int = 5) -> np.ndarray:
    params = cv2.QRCodeEncoder.Params()
    params.correction_level = cv2.QRCODE_ENCODER_CORRECT_LEVEL_M
    # create(): the bare QRCodeEncoder() constructor crashes in opencv-python 5.0.0.
    sym = cv2.QRCodeEncoder.create(params).encode(text)[1:-1, 1:-1]
    sym = cv2.copyMakeBorder(sym, 4, 4, 4, 4, cv2.BORDER_CONSTANT, value=255)
    return cv2.resize(sym, None, fx=module, fy=module, interpolation=cv2.INTER_NEAREST)


def frame(*codes: tuple[str, int, int], background: int = 120, module: int = 5) -> np.ndarray:
    """A 1280x720 gray frame with each (text, x, y) code's top-left corner at (x, y)."""
    img = np.full((H, W), background, np.uint8)
    for text, x, y in codes:
        sym = qr_symbol(text, module)
        img[y:y + sym.shape[0], x:x + sym.shape[1]] = sym
    return img


def blank(background: int = 120) -> np.ndarray:
    return np.full((H, W), background, np.uint8)


def write_video(path: Path, frames: list[np.ndarray], fps: float = 30.0) -> Path:
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), fps, (W, H), False)
    assert writer.isOpened()
    for f in frames:
        writer.write(f)
    writer.release()
    return path
