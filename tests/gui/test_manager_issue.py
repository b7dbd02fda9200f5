"""A manager issues a batch of physical cards from the manager screen, prints its sheet as a
PDF whose QR codes read back to exactly that batch, sells one card by activating it at its face
value, and a cashier then spends it; offline, the screen still issues from the code pool."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit" / "printing"))

from manager_helpers import WAIT_MS, act, log_in, open_manager  # noqa: E402
from sheet_reader import decode_sheet  # noqa: E402


def logged_in(qtbot, world):
    window, ops = open_manager(qtbot, world)
    log_in(qtbot, window)
    panel = window.issue_panel
    qtbot.waitUntil(lambda: panel.program.count() > 0, timeout=WAIT_MS)
    window.tabs.setCurrentWidget(panel)
    return window, ops, panel


def test_issue_print_sell_and_spend(qtbot, world):
    window, ops, panel = logged_in(qtbot, world)
    try:
        panel.program.setCurrentIndex(panel.program.findData("gift-eur"))
        assert panel.value.placeholderText() == "50.00"  # the program's default value
        panel.count.setValue(4)
        panel.value.setText("25.00")
        act(qtbot, window, panel.issue_button)
        assert "4 cards issued" in window.result.text(), window.result.text()
        batch = panel.last_batch
        with world.service() as terminal:
            cards = {c.code: c.qr for c in terminal.batch_cards(batch)}
        assert len(cards) == 4
        with world.admin() as admin:  # online: central created them at once, inactive
            assert {admin.card(code)["state"] for code in cards} == {"inactive"}

        qtbot.waitUntil(lambda: panel.batch_list.count() == 1, timeout=WAIT_MS)
        assert not panel.open_button.isEnabled()  # nothing printed yet
        panel.layout_choice.setCurrentIndex(panel.layout_choice.findData("letter"))
        with qtbot.waitSignal(panel.printed, timeout=WAIT_MS) as printed:
            panel.print_button.click()
        sheet = Path(printed.args[0])
        assert sheet.parent == world.home / "prints" and "4 cards on 1 pages" in \
            window.result.text()
        assert panel.open_button.isEnabled() and panel.last_sheet == sheet
        assert sorted(qr for page in decode_sheet(sheet) for qr in page) == sorted(
            cards.values())

        sold = sorted(cards)[0]
        window.tabs.setCurrentIndex(0)
        window.code.setText(sold)
        act(qtbot, window, window.look_up)
        assert f"{sold} (gift-eur): not activated, balance €25.00, expires" in \
            window.result.text(), window.result.text()
        window.code.setText(sold)
        window.amount.setText("30.00")  # another amount is stopped, not loaded on top
        act(qtbot, window, window.sell)
        assert window.result.property("state") == "error"
        assert "already carries its value" in window.result.text(), window.result.text()
        window.amount.clear()
        act(qtbot, window, window.sell)  # no amount: a face-value card sells by activation
        assert "balance €25.00" in window.result.text(), window.result.text()
        with world.service() as terminal:
            assert terminal.redeem(sold, "5.00", staff=world.staff["Alex"]["id"]).status == \
                "approved"
            assert terminal.redeem(sorted(cards)[1], "5.00").reason == "card_inactive"
    finally:
        window.shutdown()
        ops.shutdown()


def test_offline_issue_from_the_pool_and_a_short_pool_refused(qtbot, world):
    with world.service() as terminal:
        terminal.top_up_pool("store-credit", 3)
    window, ops, panel = logged_in(qtbot, world)
    try:
        panel.program.setCurrentIndex(panel.program.findData("store-credit"))
        assert panel.ready.text().endswith(": 3"), panel.ready.text()
        world.central.stop()
        panel.count.setValue(2)
        act(qtbot, window, panel.issue_button)
        assert "2 cards issued" in window.result.text(), window.result.text()
        assert "Head office will confirm at the next sync." in window.result.text()
        qtbot.waitUntil(lambda: panel.ready.text().endswith(": 1"), timeout=WAIT_MS)
        panel.count.setValue(5)
        act(qtbot, window, panel.issue_button)
        assert window.result.property("state") == "error"
        assert "codes" in window.result.text().lower(), window.result.text()
    finally:
        world.central.start()
        window.shutdown()
        ops.shutdown()
