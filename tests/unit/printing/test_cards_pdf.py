"""The card sheet: CR80 cards laid out on A4, Letter and card-printer pages, every QR readable
back to exactly the cards printed, and the white-label brand file honoured."""

import json
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey  # noqa: E402
from sheet_reader import decode_sheet, page_images  # noqa: E402

from core.credential import CardCredential, issue_credential  # noqa: E402
from core.errors import InvalidInput  # noqa: E402
from pos_app.printing.brand import load_brand  # noqa: E402
from pos_app.printing.cards_pdf import (  # noqa: E402
    CARD_H_MM,
    CARD_W_MM,
    PAGE_LAYOUTS,
    PrintedCard,
    grid,
    write_card_sheet,
)


def cards(n: int) -> list[PrintedCard]:
    key = Ed25519PrivateKey.generate()
    out = []
    for i in range(n):
        code = f"GC-TEST-{i:04d}-0000"
        qr = issue_credential(CardCredential("k1", code, "gift_card", "EUR", 1_700_000_000,
                                             1_800_000_000), key)
        out.append(PrintedCard(code, qr, "Gift card", "50.00 EUR" if i % 2 else None))
    return out


@pytest.mark.parametrize(("layout", "per_page"), [("a4", 10), ("letter", 8), ("card", 1)])
def test_grid_fits_the_page_with_margins(layout, per_page):
    cols, rows, left, top = grid(layout)
    page_w, page_h = PAGE_LAYOUTS[layout]
    assert cols * rows == per_page
    assert left + cols * CARD_W_MM <= page_w and top + rows * CARD_H_MM <= page_h
    if layout != "card":
        assert left >= 5 and top >= 5  # room for the crop marks and the printer's margin


@pytest.mark.parametrize(("layout", "count", "pages"), [("a4", 12, 2), ("letter", 8, 1),
                                                        ("card", 3, 3)])
def test_every_printed_qr_reads_back_as_its_card(tmp_path, layout, count, pages):
    printed = cards(count)
    pdf = tmp_path / f"{layout}.pdf"
    assert write_card_sheet(pdf, printed, layout=layout) == pages
    read = decode_sheet(pdf)
    assert len(read) == pages
    assert sorted(t for page in read for t in page) == sorted(c.qr for c in printed)


def test_card_printer_page_is_exactly_cr80(tmp_path):
    pdf = tmp_path / "one.pdf"
    write_card_sheet(pdf, cards(1), layout="card")
    [image] = page_images(pdf)
    height, width = image.shape
    assert width / height == pytest.approx(CARD_W_MM / CARD_H_MM, rel=0.01)


def test_brand_file_is_white_label(tmp_path):
    (tmp_path / "brand.json").write_text(json.dumps(
        {"name": "Kaffee Kontor", "primary": "#aa0000", "logo": "missing.png"}))
    brand = load_brand(tmp_path / "brand.json")
    assert (brand.name, brand.primary, brand.logo) == ("Kaffee Kontor", "#aa0000", None)
    assert write_card_sheet(tmp_path / "s.pdf", cards(2), brand=brand) == 1
    (tmp_path / "bad.json").write_text(json.dumps({"name": "x", "primary": "red"}))
    with pytest.raises(InvalidInput):
        load_brand(tmp_path / "bad.json")
    assert load_brand().logo is not None  # the bundled default has its logo
