"""`walletpos scan IMAGE... --json`: the support tool, on files made here."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from scanner_frames import blank, frame
from typer.testing import CliRunner

from core.credential import CardCredential, issue_credential
from pos_app.cli import build_app

CARD = "GC-7Q2M-9XKD-4HBH"  # valid check character


def _run(*args: str) -> tuple[int, dict]:
    result = CliRunner().invoke(build_app("scan"), ["scan", *args, "--json"])
    return result.exit_code, json.loads(result.stdout)


def test_scan_reports_each_file_and_what_each_code_parses_to(tmp_path: Path):
    cred = issue_credential(CardCredential("k1", CARD, "gift_card", "EUR", 1_700_000_000, None),
                            Ed25519PrivateKey.generate())
    two = tmp_path / "two.png"
    cv2.imwrite(str(two), frame((CARD, 100, 100), (cred, 700, 150)))
    typo = tmp_path / "typo.png"
    cv2.imwrite(str(typo), frame(("GC-7Q2M-9XKD-4HBT", 200, 200), ("LM-AAAA0001", 700, 200)))
    link = tmp_path / "link.jpg"
    cv2.imwrite(str(link), frame((f"https://wallet.example.com/c/{CARD}", 300, 100)))
    empty = tmp_path / "empty.png"
    cv2.imwrite(str(empty), blank())
    code, out = _run(str(two), str(typo), str(link), str(empty), str(tmp_path / "gone.png"),
                     "--url-host", "wallet.example.com")
    assert code == 2  # one file could not be read; the others are still reported
    files = {Path(r["file"]).name: r for r in out["results"]}
    assert list(files) == ["two.png", "typo.png", "link.jpg", "empty.png", "gone.png"]

    by_text = {p["text"]: p for p in files["two.png"]["payloads"]}
    assert by_text[CARD]["parsed"] == {"kind": "card", "code": CARD}
    assert by_text[cred]["refused"]["reason"] == "credential_invalid"  # no issuer keys known
    assert len(by_text[CARD]["corners"]) == 4

    typo_results = {p["text"]: p for p in files["typo.png"]["payloads"]}
    assert typo_results["GC-7Q2M-9XKD-4HBT"]["refused"]["reason"] == "code_check_failed"
    assert "refused" in typo_results["LM-AAAA0001"]

    assert files["link.jpg"]["payloads"][0]["parsed"] == {"kind": "card", "code": CARD}
    assert files["empty.png"]["payloads"] == []
    assert files["gone.png"]["error"]["reason"] == "unreadable_image"


def test_a_link_to_another_site_is_refused(tmp_path: Path):
    img = tmp_path / "evil.png"
    cv2.imwrite(str(img), frame((f"https://evil.example.net/c/{CARD}", 300, 100)))
    _, out = _run(str(img))
    assert out["results"][0]["payloads"][0]["refused"]["reason"] == "foreign_url"


def test_scan_without_input_is_a_usage_error():
    code, out = _run()
    assert code == 2 and out["error"] == "usage"


def test_unknown_decoder_is_a_typed_error(tmp_path: Path):
    img = tmp_path / "a.png"
    cv2.imwrite(str(img), blank())
    code, out = _run(str(img), "--decoder", "quagga")
    assert code == 2 and out["error"] == "unknown_decoder"
