"""Render the kiosk and manager screens in English and Japanese into docs/screenshots/ from a
real demo world (central on loopback, enrolled terminal): the kiosk's attract screen, a gift
card's balance, a member's points and tier, and the manager screen after selling a card and
closing the day; plus the first page of a printed card sheet. Run:
`QT_QPA_PLATFORM=offscreen .venv/bin/python docs/screenshots/make_kiosk_screenshots.py`."""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSize
from shots import OUT, SIZE, demo_world, settle  # before pos_app: offscreen Qt, sys.path

from pos_app.gui.app import apply_language, make_app
from pos_app.gui.kiosk.window import KioskWindow
from pos_app.gui.manager.window import ManagerWindow
from pos_app.gui.operations import Operations
from pos_app.printing.cards_pdf import PrintedCard, write_card_sheet
from pos_app.terminal.service import TerminalService
from wallet_sync.central.admin_client import AdminClient


def main() -> None:
    world = demo_world()
    app = make_app(lang="en", theme="light")
    with AdminClient(world.central.url, world.admin_key) as admin:
        member = admin.create_member("club", "DE")["code"]
        printed = admin.issue_cards("gift-eur", 10, value="25.00")["cards"]
    credit = [c["code"] for c in world.cards if c["program"] == "store-credit"]
    manager = next(s for s in world.staff if s["role"] == "manager")
    with TerminalService(world.terminal_home) as terminal:
        terminal.sync()
        terminal.earn(member, "420.00")
        terminal.redeem(credit[0], "12.50")
        terminal.redeem(credit[0], "4.20")
        terminal.sync()
    ops = Operations(world.terminal_home)  # one for every window, as in the app
    for lang in ("en", "ja"):
        apply_language(app, lang)
        kiosk = KioskWindow(ops, world.terminal_home, auto_sync=False, wedge=False)
        kiosk.resize(*SIZE)
        kiosk.show()
        kiosk.start()
        settle(ops)
        kiosk.grab().save(str(OUT / f"kiosk-attract-{lang}.png"))
        kiosk.handle_payload(credit[0])
        settle(ops)
        kiosk.grab().save(str(OUT / f"kiosk-card-{lang}.png"))
        kiosk.handle_payload(member)
        settle(ops)
        kiosk.grab().save(str(OUT / f"kiosk-member-{lang}.png"))
        kiosk.exit_allowed = True
        kiosk.shutdown()
        kiosk.close()
        window = ManagerWindow(ops, world.terminal_home, wedge=False)
        window.resize(*SIZE)
        window.show()
        window.start()
        settle(ops)
        window.grab().save(str(OUT / f"manager-login-{lang}.png"))
        window.login.select(next(p for p in window.login.staff if p.id == manager["id"]))
        for digit in manager["pin"]:
            window.login.press(digit)
        window.login.submit()
        settle(ops)
        window.code.setText(printed[0 if lang == "en" else 1]["code"])
        window.amount.setText("25.00")
        window.activate_and_load()
        settle(ops)
        window.grab().save(str(OUT / f"manager-cards-{lang}.png"))
        window.tabs.setCurrentWidget(window.issue_panel)
        window.issue_panel.program.setCurrentIndex(
            window.issue_panel.program.findData("gift-eur"))
        window.issue_panel.count.setValue(10)
        window.issue_panel.issue()
        settle(ops, 400)
        window.issue_panel.print_sheet()
        settle(ops, 400)
        window.grab().save(str(OUT / f"manager-issue-{lang}.png"))
        window.close_day()
        settle(ops)
        window.tabs.setCurrentIndex(2)
        window.grab().save(str(OUT / f"manager-close-{lang}.png"))
        window.tabs.setCurrentWidget(window.sync_panel)
        window.sync_panel.refresh()
        settle(ops, 400)
        window.grab().save(str(OUT / f"manager-sync-{lang}.png"))
        window.shutdown()
        window.close()
        window.deleteLater()  # destroyed by Qt now, not by Python's exit-time collector
        QCoreApplication.processEvents()
    ops.shutdown()
    sheet = Path(tempfile.mkdtemp()) / "sheet.pdf"
    write_card_sheet(sheet, [PrintedCard(c["code"], c["qr"], "Gift card") for c in printed])
    from PySide6.QtPdf import QPdfDocument

    doc = QPdfDocument()
    doc.load(str(sheet))
    doc.render(0, QSize(1240, 1754)).save(str(OUT / "card-sheet-a4.png"))
    doc.close()
    del doc
    world.central.stop()
    QCoreApplication.quit()


if __name__ == "__main__":
    main()
