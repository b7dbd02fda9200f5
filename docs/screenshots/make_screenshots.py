"""Render the counter's main states in English and Japanese into docs/screenshots/ from a real
demo world (central on loopback, enrolled terminal): login, a scanned card against a basket,
the receipt after a partial redemption, and the offline banner. Run:
`QT_QPA_PLATFORM=offscreen .venv/bin/python docs/screenshots/make_screenshots.py`."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from shots import OUT, SIZE, demo_world, settle  # before pos_app: offscreen Qt, sys.path

from pos_app.gui.app import apply_theme, make_app
from pos_app.gui.counter.sound import Beeper
from pos_app.gui.counter.window import CounterWindow
from pos_app.gui.operations import Operations


def main() -> None:
    world = demo_world()
    app = make_app(lang="en", theme="light")
    ops = Operations(world.terminal_home)
    window = CounterWindow(ops, world.terminal_home, beeper=Beeper(enabled=False),
                           auto_sync=False)
    window.resize(*SIZE)
    window.show()
    window.start()
    window.sync_now()
    settle(ops)
    credit = [c["code"] for c in world.cards if c["program"] == "store-credit"]
    for lang in ("en", "ja"):
        if (lang == "ja") != (app.property("walletpos_language") == "ja"):
            window.toggle_language()
        window.lock()
        settle(ops)
        window.grab().save(str(OUT / f"counter-login-{lang}.png"))
        cashier = next(p for p in window.login.staff if p.role == "cashier")
        window.login.select(cashier)
        for digit in "1234":
            window.login.press(digit)
        window.login.submit()
        settle(ops)
        window.new_sale()
        window.basket.amount.setText("32.50")
        window.handle_payload(credit[0 if lang == "en" else 1], 0.0)
        settle(ops)
        window.grab().save(str(OUT / f"counter-card-{lang}.png"))
        window.card._redeem()
        settle(ops)
        window.grab().save(str(OUT / f"counter-receipt-{lang}.png"))
        world.central.stop()
        window.sync_now()
        settle(ops)
        window.new_sale()
        window.basket.amount.setText("15.00")
        window.handle_payload(credit[2], 0.0)
        settle(ops)
        window.grab().save(str(OUT / f"counter-offline-{lang}.png"))
        world.central.start()
        window.sync_now()
        settle(ops)
    apply_theme(app, "dark")
    window.new_sale()
    window.basket.amount.setText("20.00")
    window.handle_payload(credit[0], 0.0)
    settle(ops)
    window.grab().save(str(OUT / "counter-card-ja-dark.png"))
    apply_theme(app, "light")
    window.shutdown()
    ops.shutdown()
    world.central.stop()
    QCoreApplication.quit()


if __name__ == "__main__":
    main()
