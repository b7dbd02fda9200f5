"""Regenerate beep.wav (scan accepted) and error.wav (refused) with the standard library:
short sine tones with a soft attack and decay so they do not click. `python generate.py`."""

import math
import struct
import wave
from pathlib import Path


def tone(path: Path, freqs: list[float], ms: int, rate: int = 22050) -> None:
    n = int(rate * ms / 1000)
    frames = bytearray()
    for i in range(n):
        env = min(1.0, i / (rate * 0.005), (n - i) / (rate * 0.02))
        f = freqs[min(len(freqs) - 1, i * len(freqs) // n)]
        frames += struct.pack("<h", int(0.5 * 32767 * env * math.sin(2 * math.pi * f * i / rate)))
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(bytes(frames))


if __name__ == "__main__":
    here = Path(__file__).parent
    tone(here / "beep.wav", [1200], 90)
    tone(here / "error.wav", [440, 330], 260)
