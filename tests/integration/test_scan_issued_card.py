"""A card issued by central, printed as a QR and scanned by `walletpos scan --home` of an
enrolled terminal, is recognised as a genuine credential; the same QR is refused by a scanner
that knows no issuer keys, and an altered one is refused even with the keys."""

import json
import subprocess
import sys
from pathlib import Path

import cv2

from pos_app import demo

WALLETPOS = str(Path(sys.executable).with_name("walletpos"))


def qr_png(text: str, path: Path) -> Path:
    image = cv2.QRCodeEncoder.create().encode(text)
    cv2.imwrite(str(path), cv2.resize(image, (480, 480), interpolation=cv2.INTER_NEAREST))
    return path


def scan(*args: str) -> list[dict]:
    out = subprocess.run([WALLETPOS, "scan", *args, "--json"], capture_output=True, text=True,
                         timeout=120).stdout
    return [p for r in json.loads(out)["results"] for p in r["payloads"]]


def test_printed_credential_scans_back_as_the_issued_card(tmp_path):
    world = demo.build(tmp_path / "demo")
    world.central.stop()
    card = world.cards[0]
    image = qr_png(card["qr"], tmp_path / "card.png")

    [genuine] = scan(str(image), "--home", str(world.terminal_home))
    assert genuine["parsed"]["kind"] == "credential"
    assert genuine["parsed"]["code"] == card["code"]

    [unknown] = scan(str(image))
    assert unknown["refused"]["reason"] == "credential_invalid"
    # ... and says why: an issuer this scan does not know, checkable with --home.
    assert "--home" in unknown["refused"]["hint"] and "genuine" in unknown["refused"]["hint"]

    tampered = card["qr"][:-6] + ("A" if card["qr"][-6] != "A" else "B") + card["qr"][-5:]
    [forged] = scan(str(qr_png(tampered, tmp_path / "forged.png")), "--home",
                    str(world.terminal_home))
    assert forged["refused"]["reason"] == "credential_invalid"
