"""A receipt carries its order's reference as text and as a QR (`WPO:<order id>`) that reads
back from the PDF and finds the order; a refund's receipt in English and Japanese."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit" / "printing"))

from sheet_reader import decode_sheet  # noqa: E402

from core.rules.refunds import order_of_reference  # noqa: E402

REFUND = {"order": "O-0123456789abcdef", "refund": "R-0a0b0c0d0e0f", "currency": "EUR",
          "synced": False,
          "parts": [{"of": "redeem", "card": "SC-AAAA-BBBB-CCCC", "amount": "40.00",
                     "balance": "50.00", "seq": 9},
                    {"of": "earn", "card": "LM-XYZ", "amount": 120, "seq": 10}]}


def test_the_receipt_qr_reads_back_to_its_order(qtbot, tmp_path) -> None:
    from pos_app.gui.app import make_app
    from pos_app.gui.receipts import Receipt

    make_app(lang="en", theme="light")
    receipt = Receipt("S1", "T-1", "Alex", 7, "abcdef012345", "ref", "SC-AAAA-BBBB-CCCC",
                      6000, 0, "EUR", 0, False, "O-0123456789abcdef")
    assert receipt.qr_payload == "WPO:O-0123456789abcdef"
    pdf = receipt.write_pdf(tmp_path / "receipt.pdf")
    (codes,) = decode_sheet(pdf)
    assert codes == ["WPO:O-0123456789abcdef"]
    assert order_of_reference(codes[0]) == receipt.order


def test_a_refund_receipt_in_english_and_japanese(qtbot) -> None:
    from pos_app.gui.app import make_app
    from pos_app.gui.receipts import RefundReceipt

    make_app(lang="en", theme="light")
    receipt = RefundReceipt.from_result(REFUND, "S1", "T-1", "Morgan", wall_ms=0)
    rows = receipt.lines()
    assert ("Refund", "R-0a0b0c0d0e0f") in rows and ("Order", "O-0123456789abcdef") in rows
    assert ("Back on gift card", "•" * 12 + "-CCCC") in rows
    assert ("Points taken back", "120") in rows
    assert [v for k, v in rows if k == "Refunded to gift cards"] == ["€40.00"]
    make_app(lang="ja", theme="light")
    labels = [label for label, _ in receipt.lines()]
    assert {"返金", "注文番号", "返金先ギフトカード", "取り消したポイント",
            "ギフトカードへの返金合計"} <= set(labels)
    make_app(lang="en", theme="light")
