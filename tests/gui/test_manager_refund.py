"""A manager refunds an order from the manager screen's Refunds tab: the receipt's QR (scanned
by the wedge) finds the order, its lines are shown, the ticked line is refunded and then the
rest of the order, each with a refund receipt (in English, and in Japanese after switching);
refunding it again is refused on screen."""

from manager_helpers import WAIT_MS, act, log_in, open_manager
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from core.rules.refunds import receipt_reference
from pos_app.terminal.redeem import OrderInput

LINES = [{"sku": "NOVEL", "category": "books", "qty": 1, "price": "60.00"},
         {"sku": "PEN", "category": "office", "qty": 2, "price": "10.00"}]


def test_refund_an_order_found_by_its_receipt(qtbot, world):
    with world.admin() as admin:
        [card] = admin.issue_cards("store-credit", 1, value="100.00", activate=True)["cards"]
    with world.service() as terminal:
        terminal.sync()
        paid = terminal.pay([card["code"]], None, order=OrderInput(lines=LINES))
        assert paid.status == "approved"
    window, ops = open_manager(qtbot, world)
    try:
        log_in(qtbot, window)
        panel = window.refund_panel
        window.tabs.setCurrentWidget(window.refund_tab)
        with qtbot.waitSignal(window.answered, timeout=WAIT_MS):
            window.card_scanned(receipt_reference(paid.order))  # the wedge read the QR
        qtbot.waitUntil(lambda: panel.lines.count() == 2, timeout=WAIT_MS)
        assert paid.order in panel.summary.text()
        panel.lines.item(1).setCheckState(Qt.CheckState.Checked)
        act(qtbot, window, panel.lines_button)
        assert "Refunded €20.00" in window.result.text(), window.result.text()
        assert "Refunded to gift cards" in panel.receipt.text()
        assert panel.last_pdf is not None and panel.last_pdf.parent == world.home / "receipts"
        assert panel.last_pdf.stat().st_size > 0
        qtbot.waitUntil(lambda: panel.lines.count() == 2 and "(refunded)" in
                        panel.lines.item(1).text(), timeout=WAIT_MS)
        window.toggle_language()
        panel = window.refund_panel
        window.tabs.setCurrentWidget(window.refund_tab)
        panel.reference.setText(paid.order)
        act(qtbot, window, panel.find_button)
        act(qtbot, window, panel.whole_button)
        assert "返金" in panel.receipt.text(), panel.receipt.text()
        with world.admin() as admin:
            assert admin.card(card["code"])["balance"] == "100.00"
        act(qtbot, window, panel.find_button)
        assert not panel.whole_button.isEnabled()
        panel.refund(False)  # pressed anyway: refused, with the reason
        qtbot.waitUntil(lambda: window.result.property("state") == "error", timeout=WAIT_MS)
    finally:
        window.shutdown()
        ops.shutdown()
        QApplication.processEvents()
