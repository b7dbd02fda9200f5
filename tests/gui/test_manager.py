"""A manager at the manager screen: only a manager's PIN opens it; sells a printed card that
was issued inactive (activate + load, journaled with the manager's id), blocks a card, and
closes the day, which leaves a Z report PDF; a cashier at the counter then can spend the card."""

from manager_helpers import WAIT_MS, act, open_manager
from PySide6.QtWidgets import QApplication


def test_manager_sells_blocks_and_closes_the_day(qtbot, world):
    with world.admin() as admin:
        [printed] = admin.issue_cards("store-credit", 1, value="0.00")["cards"]
    with world.service() as terminal:
        terminal.sync()
    window, ops = open_manager(qtbot, world)
    try:
        assert [p.name for p in window.login.staff] == ["Morgan"]  # cashiers cannot open it
        for digit in "999999":
            window.login.press(digit)
        window.login.submit()
        qtbot.waitUntil(lambda: window.manager is not None, timeout=WAIT_MS)

        window.code.setText(printed["code"])
        window.amount.setText("30.00")
        act(qtbot, window, window.sell)
        assert "balance €30.00" in window.result.text(), window.result.text()
        with world.service() as terminal:
            assert terminal.balance(printed["code"])["state"] == "active"
            spent = terminal.redeem(printed["code"], "10.00")
            assert spent.status == "approved"

        window.void_seq.setText(str(spent.seq))
        window.reason.setText("rang up twice")
        act(qtbot, window, window.void_button)
        assert "voided: €10.00 back" in window.result.text(), window.result.text()
        assert "balance €30.00" in window.result.text()
        window.void_seq.setText(str(spent.seq))
        act(qtbot, window, window.void_button)
        assert window.result.property("state") == "error"  # a second void is refused

        with world.admin() as admin:
            [spare] = admin.issue_cards("store-credit", 1, value="0.00")["cards"]
        with world.service() as terminal:
            terminal.sync()
        window.move_from.setText(printed["code"])
        window.move_to.setText(spare["code"])
        window.reason.setText("lost")
        act(qtbot, window, window.move_button)
        assert "€30.00 moved from" in window.result.text(), window.result.text()
        with world.service() as terminal:
            assert terminal.balance(printed["code"])["state"] == "blocked"
            assert terminal.balance(spare["code"])["state"] == "active"

        with world.admin() as admin:
            member = admin.create_member("club", "DE")["code"]
        with world.service() as terminal:
            terminal.sync()
        window.points_member.setText(member)
        window.points_amount.setText("40")
        window.reason.setText("goodwill")
        act(qtbot, window, window.points_add)
        assert "40 points added" in window.result.text() and "now 40" in window.result.text()
        window.points_amount.setText("15")
        act(qtbot, window, window.points_remove)
        assert "now 25" in window.result.text(), window.result.text()

        window.code.setText(world.cards["store-credit"][1])
        window.reason.setText("reported lost")
        act(qtbot, window, window.block)
        assert "is blocked" in window.result.text()
        window.reason.clear()
        act(qtbot, window, window.unblock)
        assert window.result.text() == "Say why." and window.result.property("state") == "error"

        act(qtbot, window, window.close_button)
        assert window.last_report is not None and window.last_report.exists()
        assert "Z report no. 1" in window.report.text()
        assert "load" in window.report.text() and "60.00 EUR" in window.report.text()
        window.idle.timer.timeout.emit()
        assert window.manager is None and window.pages.currentIndex() == 0
    finally:
        window.shutdown()
        ops.shutdown()
        QApplication.processEvents()
