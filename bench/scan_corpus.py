"""Deterministic corpus of camera-like 1280x720 grayscale frames for the scanner benchmark.

Each frame is a card lying on a counter as a webcam would see it: a printed QR code (error
correction M, as our printed cards use) on a white card, warped into the frame, lit unevenly,
blurred, noisy and JPEG-compressed a little — then one category's hardship is applied strongly.
The payloads are our real kinds: gift-card and store-credit codes with a valid check character,
loyalty member codes, signed "WP1:" credentials (core.credential.issue_credential with a fixed
key) and https links carrying a code. The same seed gives the same frames, byte for byte, so
figures from different runs and machines compare.

    python -m bench.scan_corpus OUT_DIR [--per-category N]   # PNGs plus manifest.json
"""

from __future__ import annotations

import argparse
import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from core.codes import ALPHABET, check_char
from core.credential import CardCredential, issue_credential

WIDTH, HEIGHT = 1280, 720
CATEGORIES = (
    "nominal", "small", "rotation", "perspective", "defocus", "motion_blur", "noise", "dim",
    "glare", "jpeg", "occlusion", "clutter", "no_code", "two_codes",
)
ISSUER_KEY_ID = "bnch-kid"  # 8 characters, the shape of central's key ids
ISSUER_KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
URL_HOST = "wallet.example.com"
CODE_PATTERNS = ("GC-####-####-####", "SC-####-####-####", "WV-####-####")
MEMBER_PATTERNS = ("LM-########",)


@dataclass(frozen=True)
class Frame:
    category: str
    index: int
    image: np.ndarray  # HEIGHT x WIDTH uint8
    payloads: tuple[str, ...]  # what a perfect reader returns (empty for no_code)

    @property
    def name(self) -> str:
        return f"{self.category}-{self.index:03d}"


# ---- payloads -------------------------------------------------------------------------------

def seeded_code(pattern: str, rng: np.random.Generator) -> str:
    """A valid code for `pattern` (core.codes.generate_code, but from a seeded generator)."""
    n = pattern.count("#")
    data = "".join(ALPHABET[int(i)] for i in rng.integers(0, len(ALPHABET), n - 1))
    symbols = iter(data + check_char(data))
    return "".join(next(symbols) if ch == "#" else ch for ch in pattern)


def payload(rng: np.random.Generator, serial: int) -> str:
    """Our payload kinds in rotation: plain codes, member codes, credentials, links."""
    kind = serial % 5
    if kind == 0:
        return seeded_code(CODE_PATTERNS[int(rng.integers(0, 3))], rng)
    if kind == 1:
        return seeded_code(MEMBER_PATTERNS[0], rng)
    if kind in (2, 3):
        cred = CardCredential(ISSUER_KEY_ID, seeded_code(CODE_PATTERNS[0], rng), "gift_card",
                              "EUR", 1_700_000_000 + serial, None)
        return issue_credential(cred, ISSUER_KEY)
    return f"https://{URL_HOST}/c/{seeded_code(CODE_PATTERNS[1], rng)}"


def qr_modules(text: str) -> np.ndarray:
    """The QR symbol, one pixel per module, 255 light / 0 dark, with a 4-module quiet zone."""
    params = cv2.QRCodeEncoder.Params()
    params.correction_level = cv2.QRCODE_ENCODER_CORRECT_LEVEL_M
    # QRCodeEncoder.create(): the bare constructor crashes in opencv-python 5.0.0.
    symbol = cv2.QRCodeEncoder.create(params).encode(text)
    core = symbol[1:-1, 1:-1]  # OpenCV adds a 1-module border; replace it with the full 4
    return cv2.copyMakeBorder(core, 4, 4, 4, 4, cv2.BORDER_CONSTANT, value=255)


# ---- rendering ------------------------------------------------------------------------------

def _background(rng: np.random.Generator, busy: bool) -> np.ndarray:
    small = rng.uniform(70, 150, (9, 16)).astype(np.float32)
    bg = cv2.resize(small, (WIDTH, HEIGHT), interpolation=cv2.INTER_CUBIC)
    grain = cv2.resize(rng.normal(0, 6, (HEIGHT // 4, WIDTH // 4)).astype(np.float32),
                       (WIDTH, HEIGHT), interpolation=cv2.INTER_LINEAR)
    bg = np.clip(bg + grain, 0, 255).astype(np.uint8)  # OpenCV 5 draws text on 8-bit only
    if busy:
        for _ in range(40):  # shelves, receipts, price labels, a keyboard: edges everywhere
            x, y = int(rng.integers(0, WIDTH)), int(rng.integers(0, HEIGHT))
            shade = float(rng.choice([15, 235]))
            shape = int(rng.integers(0, 4))
            if shape == 0:
                cv2.putText(bg, "".join(rng.choice(list("ABCDEF0123456789 -"), 10)), (x, y),
                            cv2.FONT_HERSHEY_SIMPLEX, float(rng.uniform(0.5, 1.6)), shade,
                            int(rng.integers(1, 4)))
            elif shape == 1:
                cv2.line(bg, (x, y), (int(rng.integers(0, WIDTH)), int(rng.integers(0, HEIGHT))),
                         shade, int(rng.integers(1, 6)))
            elif shape == 2:
                s = int(rng.integers(8, 40))  # finder-pattern look-alikes
                cv2.rectangle(bg, (x, y), (x + 7 * s // 3, y + 7 * s // 3), shade, -1)
                cv2.rectangle(bg, (x + s // 3, y + s // 3), (x + 2 * s, y + 2 * s),
                              255 - shade, -1)
                cv2.rectangle(bg, (x + 2 * s // 3, y + 2 * s // 3),
                              (x + 5 * s // 3, y + 5 * s // 3), shade, -1)
            else:
                cell = int(rng.integers(3, 12))
                w, h = int(rng.integers(30, 160)), int(rng.integers(30, 160))
                tile = (rng.integers(0, 2, (h // cell + 1, w // cell + 1)) * 220 + 15)
                patch = np.kron(tile, np.ones((cell, cell)))[:h, :w]
                ys, xs = slice(y, min(HEIGHT, y + h)), slice(x, min(WIDTH, x + w))
                bg[ys, xs] = patch[: ys.stop - y, : xs.stop - x]
    return bg.astype(np.float32)


def _card_quad(rng: np.random.Generator, size: float, center: tuple[float, float],
               angle: float, tilt: float) -> np.ndarray:
    half = size / 2
    quad = np.array([[-half, -half], [half, -half], [half, half], [-half, half]], np.float32)
    quad += rng.uniform(-tilt, tilt, quad.shape).astype(np.float32) * size
    c, s = math.cos(angle), math.sin(angle)
    quad = quad @ np.array([[c, s], [-s, c]], np.float32)
    return quad + np.array(center, np.float32)


def _place(img: np.ndarray, text: str, rng: np.random.Generator, module: float,
           center: tuple[float, float], angle: float, tilt: float) -> np.ndarray:
    """Warps a card carrying the QR for `text` into `img` (float32, in place); its quad."""
    modules = qr_modules(text)
    src_px = 8  # render crisply, then let the perspective warp resample (area-ish via pre-blur)
    pad = 3 * src_px  # white card margin around the quiet zone
    sym = np.kron(modules.astype(np.float32), np.ones((src_px, src_px), np.float32))
    paper, ink = float(rng.uniform(215, 245)), float(rng.uniform(15, 45))
    sym = ink + (paper - ink) * sym / 255.0
    card = cv2.copyMakeBorder(sym, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=paper)
    side = card.shape[0]
    scale = module / src_px
    if scale < 1:  # low-pass before shrinking so the warp does not alias
        card = cv2.GaussianBlur(card, (0, 0), 0.45 / scale)
    dst = _card_quad(rng, side * scale, center, angle, tilt)
    src = np.array([[0, 0], [side, 0], [side, side], [0, side]], np.float32)
    m = cv2.getPerspectiveTransform(src, dst)
    warped = cv2.warpPerspective(card, m, (WIDTH, HEIGHT), flags=cv2.INTER_LINEAR)
    mask = cv2.warpPerspective(np.ones_like(card), m, (WIDTH, HEIGHT), flags=cv2.INTER_LINEAR)
    img *= 1 - mask
    img += warped * mask
    return dst


def _camera(img: np.ndarray, rng: np.random.Generator, noise: float = 2.5,
            quality: int = 85) -> np.ndarray:
    """The mild optics and sensor every frame gets; returns the final uint8 frame."""
    img = cv2.GaussianBlur(img, (0, 0), 0.6)
    yy, xx = np.mgrid[0:HEIGHT, 0:WIDTH].astype(np.float32)
    gx, gy = rng.uniform(-0.25, 0.25, 2)
    light = 1 + gx * (xx / WIDTH - 0.5) + gy * (yy / HEIGHT - 0.5)
    vignette = 1 - 0.25 * (((xx - WIDTH / 2) / WIDTH) ** 2 + ((yy - HEIGHT / 2) / HEIGHT) ** 2)
    img = img * light * vignette + rng.normal(0, noise, img.shape).astype(np.float32)
    out = np.clip(img, 0, 255).astype(np.uint8)
    ok, buf = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, quality])
    return cv2.imdecode(buf, cv2.IMREAD_GRAYSCALE) if ok else out


def _blur(img: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    return cv2.filter2D(img, -1, kernel / kernel.sum())


def _disk(radius: float) -> np.ndarray:
    r = int(math.ceil(radius))
    yy, xx = np.mgrid[-r:r + 1, -r:r + 1]
    return (xx ** 2 + yy ** 2 <= radius ** 2).astype(np.float32)


def _line(length: float, angle: float) -> np.ndarray:
    k = np.zeros((int(length) * 2 + 3,) * 2, np.float32)
    c = k.shape[0] // 2
    dx, dy = math.cos(angle) * length / 2, math.sin(angle) * length / 2
    cv2.line(k, (round(c - dx), round(c - dy)), (round(c + dx), round(c + dy)), 1.0, 1)
    return k


def render(category: str, index: int, seed: int = 2024) -> Frame:
    """One frame of `category`; a pure function of (category, index, seed)."""
    rng = np.random.default_rng([seed, CATEGORIES.index(category), index])
    serial = CATEGORIES.index(category) * 1000 + index
    img = _background(rng, busy=category in ("clutter", "no_code"))
    center = (float(rng.uniform(420, 860)), float(rng.uniform(260, 460)))
    angle = math.radians(float(rng.uniform(-12, 12)))
    module, tilt = float(rng.uniform(3.5, 6.0)), 0.03
    noise, quality = 2.5, 85
    if category == "small":
        module = float(rng.uniform(1.5, 2.4))
    elif category == "rotation":
        angle = math.radians(float(rng.uniform(20, 340)))
        module = float(rng.uniform(3.0, 4.5))
    elif category == "perspective":
        tilt, module = float(rng.uniform(0.2, 0.3)), float(rng.uniform(3.5, 5.0))
    elif category in ("clutter", "two_codes"):
        module = float(rng.uniform(3.0, 4.5))
    elif category == "jpeg":
        module = float(rng.uniform(2.5, 3.5))

    payloads: tuple[str, ...] = ()
    quads = []
    if category == "two_codes":
        payloads = (payload(rng, serial), payload(rng, serial + 500))
        for text, x in zip(payloads, (float(rng.uniform(300, 420)), float(rng.uniform(860, 980))),
                           strict=True):
            quads.append(_place(img, text, rng, module, (x, center[1]), angle, tilt))
    elif category != "no_code":
        payloads = (payload(rng, serial),)
        quads.append(_place(img, payloads[0], rng, module, center, angle, tilt))
    else:  # blank cards and printed text: what a counter shows between customers
        canvas = np.clip(img, 0, 255).astype(np.uint8)
        for _ in range(2):
            x, y = int(rng.uniform(100, 1000)), int(rng.uniform(80, 500))
            cv2.rectangle(canvas, (x, y), (x + 220, y + 140), float(rng.uniform(200, 240)), -1)
            cv2.putText(canvas, "GIFT CARD", (x + 20, y + 80), cv2.FONT_HERSHEY_SIMPLEX, 1.0, 30,
                        2)
        img = canvas.astype(np.float32)

    if category == "dim":  # a dark corner of the shop: 12-24 grey levels of contrast at most
        lo, span = float(rng.uniform(10, 30)), float(rng.uniform(12, 24))
        img = lo + img * (span / 255.0)
        noise = 2.0
    elif category == "glare":  # a ceiling light reflected off a glossy card
        q = quads[0]
        cx, cy = q.mean(axis=0) + rng.uniform(-0.2, 0.2, 2) * (q[1] - q[0])[0]
        sigma = float(np.linalg.norm(q[1] - q[0])) * float(rng.uniform(0.12, 0.2))
        yy, xx = np.mgrid[0:HEIGHT, 0:WIDTH].astype(np.float32)
        blob = np.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / (2 * sigma ** 2))
        img = img + blob * float(rng.uniform(230, 330))
    elif category == "occlusion":  # a thumb holding the card over one edge of the code
        q = quads[0]
        edge = int(rng.integers(0, 4))
        a, b = q[edge], q[(edge + 1) % 4]
        t = float(rng.uniform(0.3, 0.7))
        side = float(np.linalg.norm(b - a))
        inward = (q.mean(axis=0) - (a + b) / 2) / (side / 2)  # unit-ish, towards the centre
        px, py = a + (b - a) * t + inward * side * float(rng.uniform(0.06, 0.14))
        axes = (int(side * 0.14), int(side * 0.28))
        tone = float(rng.uniform(140, 190))
        cv2.ellipse(img, (int(px), int(py)), axes,
                    math.degrees(math.atan2(*(b - a)[::-1])) + 90, 0, 360, tone, -1)

    if category == "noise":
        noise = float(rng.uniform(30, 45))
    elif category == "jpeg":
        quality = int(rng.integers(3, 7))
    frame = _camera(img, rng, noise, quality)

    if category == "defocus":
        frame = _blur(frame, _disk(module * float(rng.uniform(0.5, 0.9))))
    elif category == "motion_blur":
        frame = _blur(frame, _line(module * float(rng.uniform(1.0, 1.8)),
                                   float(rng.uniform(0, math.pi))))
    return Frame(category, index, np.ascontiguousarray(frame), payloads)


def corpus(per_category: int = 30, seed: int = 2024,
           categories: tuple[str, ...] = CATEGORIES) -> Iterator[Frame]:
    for category in categories:
        for index in range(per_category):
            yield render(category, index, seed)


def write(out: Path, per_category: int = 30, seed: int = 2024) -> Path:
    """PNG per frame plus manifest.json ({"frames": [{"file", "category", "payloads"}]})."""
    out.mkdir(parents=True, exist_ok=True)
    manifest = []
    for frame in corpus(per_category, seed):
        name = f"{frame.name}.png"
        cv2.imwrite(str(out / name), frame.image)
        manifest.append({"file": name, "category": frame.category,
                         "payloads": list(frame.payloads)})
    path = out / "manifest.json"
    path.write_text(json.dumps({"seed": seed, "frames": manifest}, indent=1), encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--per-category", type=int, default=30)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    print(write(args.out, args.per_category, args.seed))


if __name__ == "__main__":
    main()
