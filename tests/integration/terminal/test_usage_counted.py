"""Limit usage kept counted by a real till (pos_app/terminal/usage_cache.py) against a real
central: gift-eur allows five uses of a card a day; the sixth is declined with the limit, a
void gives one use back at once in the same process, and a terminal.db put back from a copy
taken earlier is counted again from its own journal, not from what the process remembers."""

import os
import shutil

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pos_app.terminal import usage_cache  # noqa: E402
from pos_app.terminal.service import TerminalService  # noqa: E402


def _gift(world):
    return [c["code"] for c in world.cards if c["program"] == "gift-eur" and c["active"]]


def test_five_a_day_a_void_gives_one_back_and_a_restored_file_is_recounted(world, tmp_path):
    manager = next(s["id"] for s in world.staff if s["role"] == "manager")
    code, other = _gift(world)
    home = world.terminal_home
    with TerminalService(home) as till:
        assert till.redeem(code, "1.00").status == "approved"
        till.sync()
    copy = tmp_path / "copy"
    shutil.copytree(home, copy)  # one use of CODE so far
    with TerminalService(home) as till:
        spent = [till.redeem(code, "1.00") for _ in range(4)]
        assert [s.status for s in spent] == ["approved"] * 4
        sixth = till.redeem(code, "1.00")
        assert (sixth.status, sixth.reason) == ("declined", "limit_reached: per_card_daily_count")
        assert till.redeem(other, "1.00").status == "approved"  # another card: its own count
        till.void_redemption(spent[-1].seq, "wrong amount", manager)
        assert till.redeem(code, "1.00").status == "approved"  # the voided use came back
        assert till.redeem(code, "1.00").status == "declined"
    # The file put back as it was after the first use (a restore: same path, same process).
    # Central, which saw every use online, would still decline; what must not linger is this
    # process's own count.
    shutil.rmtree(home)
    shutil.copytree(copy, home)
    with TerminalService(home) as till, till.store.read() as conn:
        ident = till.identity()
        now = till.clock() // 1000
        usage = usage_cache.usage(conn, now, ident.config.time_zone, ident.store_id,
                                  [("gift-eur", code)], None)
    assert usage.get("gift-eur", "", "card", "daily").count == 1
