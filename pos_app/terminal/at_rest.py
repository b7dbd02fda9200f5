"""What an older install kept in the clear, sealed with the data keys at start (each step skips
what is done, so a crash midway just repeats it): staff PIN hashes; card codes, member codes
and the code pool (flagged by terminal migration 0007); and the lockout state's first MAC (only
in the process that upgraded the file: a flag a person can write must not re-sign a lockout
they reset). Called by `TerminalContext.open` once the key is known to be there."""

from __future__ import annotations

from sqlalchemy import text

from pos_app.terminal import lockout
from pos_app.terminal.database import TerminalDB


def seal_at_rest(db: TerminalDB) -> None:
    keys = db.data_keys()  # the secret first: a copied folder stops here
    upgraded = db.migrated_from is not None and db.migrated_from < "0007"
    with db.read() as conn:
        plain_pins = conn.execute(text(
            "SELECT COUNT(*) FROM staff WHERE pin_hash NOT LIKE 's1:%'")).scalar_one()
        pending = TerminalDB.get_meta(conn, "secrets_pending") is not None
    if not (plain_pins or pending or upgraded):
        return
    with db.write() as conn:
        conn.execute(text("UPDATE staff SET pin_hash = wp_seal_pin(id, pin_hash) "
                          "WHERE pin_hash NOT LIKE 's1:%'"))
        if pending:
            conn.execute(text("UPDATE cards SET code = wp_card_key(code) "
                              "WHERE code NOT LIKE 'h:%'"))
            conn.execute(text("UPDATE code_pool SET qr = wp_seal_pool(code, qr), "
                              "code = wp_card_key(code) WHERE code NOT LIKE 'h:%'"))
            conn.execute(text("UPDATE members SET code = wp_card_key(code), "
                              "data = json_remove(data, '$.code') "
                              "WHERE code NOT LIKE 'h:%'"))
            conn.execute(text("DELETE FROM meta WHERE key = 'secrets_pending'"))
        if upgraded:
            lockout.anchor_upgrade(conn, keys)
