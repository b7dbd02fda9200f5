"""A sale at the counter: scan a gift card (USB scanner burst, camera frames, or typed with the
check character), see what it pays of the basket, redeem part of it, and get a receipt that
ties the redemption to its signed journal entry."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
from counter_helpers import WAIT_MS, counter, idle, log_in, wedge_burst
from PySide6.QtCore import Qt

from core.journal import EntryBody


class WedgeClock:
    """A hand-set clock for the wedge filter (defined here: a `from conftest import` picks up
    whichever test folder's conftest pytest imported first)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _qr_frame(text: str | None) -> np.ndarray:
    """A 1280x720 gray camera frame, with the code's QR in the middle when `text` is given."""
    img = np.full((720, 1280), 120, np.uint8)
    if text is not None:
        params = cv2.QRCodeEncoder.Params()
        sym = cv2.QRCodeEncoder.create(params).encode(text)  # create(): see DECISIONS 24
        sym = cv2.copyMakeBorder(sym, 4, 4, 4, 4, cv2.BORDER_CONSTANT, value=255)
        sym = cv2.resize(sym, None, fx=6, fy=6, interpolation=cv2.INTER_NEAREST)
        y, x = (720 - sym.shape[0]) // 2, (1280 - sym.shape[1]) // 2
        img[y:y + sym.shape[0], x:x + sym.shape[1]] = sym
    return img


def _redeem_shown(qtbot, window) -> None:
    qtbot.waitUntil(lambda: window.card.redeem_button.isVisible(), timeout=WAIT_MS)
    qtbot.mouseClick(window.card.redeem_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.receipt is not None or "✗" in window.card.outcome.text(),
                    timeout=WAIT_MS)


def test_usb_scanner_burst_then_partial_redemption_is_on_screen_and_in_the_journal(
        qtbot, world):
    code = world.cards["store-credit"][0]
    clock = WedgeClock()
    with counter(qtbot, world, wedge_clock=clock) as window:
        log_in(qtbot, window)
        window.basket.amount.setText("20.00")
        window.basket.amount.setFocus()
        wedge_burst(qtbot, window, clock, code)
        qtbot.waitUntil(lambda: window.card.code.text() == code, timeout=WAIT_MS)
        assert window.basket.amount.text() == "20.00"  # the burst never reached the field
        assert window.card.balance.text() == "Balance €50.00"
        assert window.card.applies.text() == "Pays €20.00 of €20.00."
        assert window.card.redeem_button.text() == "Redeem €20.00 (F5)"
        _redeem_shown(qtbot, window)
        assert window.card.outcome.text() == "✓ Redeemed €20.00. Remaining balance €30.00."
        receipt = window.receipt
        assert receipt is not None and receipt.amount == 2000 and receipt.balance_after == 3000
        qtbot.waitUntil(lambda: window.card.balance.text() == "Balance €30.00",
                        timeout=WAIT_MS)
        assert window.basket.total() is None  # paid: Redeem is not offered again
        assert not window.card.redeem_button.isVisible()
        idle(qtbot, window)
    with world.service() as terminal:
        rows = terminal.store.journal_rows()
        assert terminal.verify().ok
    assert len(rows) == 1 and rows[0]["seq"] == receipt.seq
    body = EntryBody.decode(bytes(rows[0]["data"]))
    assert (body.op, body.card, body.amount, body.currency) == ("redeem", code, 2000, "EUR")
    assert body.staff == world.staff["Alex"]["id"]
    assert bytes(rows[0]["hash"]).hex()[:12] == receipt.short_hash


def test_camera_frames_through_the_real_capture_path_scan_once_with_a_green_flash(
        qtbot, world, tmp_path: Path):
    code = world.cards["gift-eur"][0]
    frames = tmp_path / "frames"
    frames.mkdir()
    for i, text in enumerate([None] * 3 + [code] * 6 + [None] * 2):
        cv2.imwrite(str(frames / f"frame_{i:03d}.png"), _qr_frame(text))
    with counter(qtbot, world, camera=str(frames)) as window:
        log_in(qtbot, window)
        window.basket.amount.setText("80.00")
        qtbot.waitUntil(lambda: window.card.code.text() == code, timeout=WAIT_MS)
        assert window.scan.preview.flashing == "green"
        qtbot.waitUntil(lambda: window.scan.frames_shown == 11, timeout=WAIT_MS)
        idle(qtbot, window)
        assert window.beeper.played == ["ok"]  # six frames with the card: one scan
        assert window.card.applies.text() == ("Pays €50.00 of €80.00. Customer pays the "
                                              "other €30.00.")


def test_typed_code_catches_a_typo_and_looks_up_a_good_one(qtbot, world):
    code = world.cards["store-credit"][1]
    typo = code[:-1] + ("0" if code[-1] != "0" else "1")
    with counter(qtbot, world, wedge=False) as window:
        log_in(qtbot, window)
        window.manual.field.setText(typo)
        assert window.manual.feedback.text().startswith("✗ Typo")
        assert not window.manual.button.isEnabled()
        window.manual.field.setText(code[:8])
        assert window.manual.feedback.text() == "8 more characters"  # SC-XXXX- of 12
        window.manual.field.setText(code.lower().replace("-", " "))
        assert window.manual.state == "valid" and window.manual.button.isEnabled()
        qtbot.mouseClick(window.manual.button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: window.card.code.text() == code, timeout=WAIT_MS)
        assert window.card.applies.text() == "Enter the basket amount to see what this card pays."
        window.manual.field.setText("GC-0000-0000-0000X")
        assert window.manual.state == "invalid"


def test_a_refused_scan_flashes_red_and_says_why(qtbot, world):
    clock = WedgeClock()
    with counter(qtbot, world, wedge_clock=clock) as window:
        log_in(qtbot, window)
        window.beeper.played.clear()
        wedge_burst(qtbot, window, clock, "https://evil.example/GC-1234")
        qtbot.waitUntil(lambda: "✗" in window.card.outcome.text(), timeout=WAIT_MS)
        assert window.card.outcome.text() == "✗ A link that is not from this store."
        assert window.scan.preview.flashing == "red" and window.beeper.played == ["error"]


def test_receipt_pdf_carries_seq_signature_hash_and_remaining_balance(qtbot, world):
    from PySide6.QtPdf import QPdfDocument

    code = world.cards["store-credit"][0]
    with counter(qtbot, world, wedge=False) as window:
        log_in(qtbot, window)
        window.basket.amount.setText("12.50")
        window.handle_payload(code, 0.0)
        _redeem_shown(qtbot, window)
        pdf = window.receipt_view.print_receipt()
        receipt = window.receipt
        idle(qtbot, window)
    assert pdf is not None and pdf.exists() and pdf.parent == world.home / "receipts"
    doc = QPdfDocument(None)
    assert doc.load(str(pdf)) == QPdfDocument.Error.None_
    # PDFium breaks the extracted text wherever glyph runs break; compare without whitespace.
    text = "".join(doc.getAllText(0).text().split())
    doc.close()
    for expected in (f"#{receipt.seq}", receipt.short_hash, "€37.50", "€12.50",
                     receipt.request_id, "Remainingbalance"):
        assert expected in text, (expected, text)
    assert code.replace("-", "") not in text.replace("-", "")  # the full code stays off paper
