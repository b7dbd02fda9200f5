"""The manager's "Sync and conflicts" panel over a real terminal home and the real central:
another till of the store spent a card online while this till spent it offline, so head office
opened an overdraft case; the panel lists it (full card code, reason in words, shortfall), and
when head office goes away it keeps the list, says since when, counts what waits to sync and
shows why Sync now failed."""

from PySide6.QtWidgets import QApplication

from pos_app.gui.app import make_app
from pos_app.gui.manager.sync_panel import SyncPanel
from pos_app.gui.operations import Operations
from pos_app.terminal.service import TerminalService

WAIT_MS = 15_000


def press(qtbot, panel, action):
    with qtbot.waitSignal(panel.refreshed, timeout=WAIT_MS):
        action()
    qtbot.waitUntil(lambda: panel.ops.pending() == 0, timeout=WAIT_MS)


def make_overdraft(world, tmp_path):
    """This till spends 20.00 offline on a 50.00 card; another till of the store spends 45.00
    online; this till's sync then opens a 15.00 overdraft case at head office."""
    card = world.cards["store-credit"][0]
    with world.service() as here, TerminalService(tmp_path / "other-till",
                                                  sync_timeout=2.0) as other:
        with world.admin() as admin:
            enroll = admin.enroll_code(here.identity().store_id)["code"]
        other.enroll(world.central.url, enroll)
        world.central.stop()
        try:
            assert here.redeem(card, "20.00").offline is True
        finally:
            world.central.start()
        assert other.redeem(card, "45.00").status == "approved"
        other.sync()
        assert here.sync()["conflicts"] == 1
        return card, here.identity().terminal_id


def test_panel_lists_the_store_case_and_keeps_it_while_offline(qtbot, world, tmp_path):
    card, this_till = make_overdraft(world, tmp_path)
    make_app(lang="en", theme="light")
    ops = Operations(world.service)
    panel = SyncPanel(ops)
    qtbot.addWidget(panel)
    panel.show()
    try:
        press(qtbot, panel, panel.refresh)
        assert panel.waiting.text().startswith("Waiting to sync: 0 entries."), panel.waiting.text()
        assert panel.error.text() == "No sync error."
        assert panel.table.rowCount() == 1
        row = [panel.table.item(0, col).text() for col in range(panel.table.columnCount())]
        assert row[1:5] == [card, "Spent more than the card held; the card is blocked.",
                            "€15.00", this_till]
        assert panel.cases_title.text().endswith(": 1")
        assert panel.as_of.text().startswith("As of "), panel.as_of.text()

        world.central.stop()
        try:
            with world.service() as here:  # a sale while head office is away
                assert here.redeem(world.cards["store-credit"][1], "5.00").offline is True
            press(qtbot, panel, panel.refresh)
            assert panel.waiting.text().startswith("Waiting to sync: 1 entries.")
            assert panel.table.rowCount() == 1 and panel.table.item(0, 1).text() == card
            assert panel.as_of.text().startswith("Head office unreachable — list as of ")

            press(qtbot, panel, panel.sync_button.click)
            assert "Head office cannot be reached." in panel.error.text(), panel.error.text()
            assert panel.waiting.text().startswith("Waiting to sync: 1 entries.")
        finally:
            world.central.start()

        press(qtbot, panel, panel.sync_button.click)
        assert panel.waiting.text().startswith("Waiting to sync: 0 entries.")
        assert panel.error.text() == "No sync error."
        assert panel.as_of.text().startswith("As of ")
        assert panel.table.rowCount() == 1  # head office has not resolved the case yet
    finally:
        ops.shutdown()
        QApplication.processEvents()
