"""Head office sees what each terminal runs (issue 19, the terminals page): a terminal names
its walletpos version in its User-Agent; central keeps it on the terminal's first pull of a
sync and shows it in `admin terminals` and on the console's terminals page. A client that
does not name one leaves nothing behind; the value is shown, never trusted (unsigned)."""

from __future__ import annotations

from pathlib import Path

from terminal_live import LiveCentral, new_terminal

from wallet_sync.central.admin_client import AdminClient
from wallet_sync.client import software_version
from wallet_sync.protocol import parse_user_agent, user_agent


def _versions(admin: AdminClient) -> dict[str, str | None]:
    return {t["id"]: t["version"] for t in admin.terminals()["terminals"]}


def test_a_terminal_s_version_reaches_head_office(tmp_path: Path, central: LiveCentral,
                                                  admin: AdminClient) -> None:
    with new_terminal(tmp_path / "t", central, admin) as term:
        term.sync()
        terminal_id = term.identity().terminal_id
    assert software_version() not in ("", "unknown")  # the installed distribution's
    assert _versions(admin)[terminal_id] == software_version()


def test_only_a_walletpos_user_agent_names_a_version() -> None:
    assert parse_user_agent(user_agent("0.1.0")) == "0.1.0"
    assert parse_user_agent("walletpos/1.2.3+local python-httpx/0.27") == "1.2.3+local"
    for hostile in (None, "", "curl/8.0", "walletpos/", "walletpos/" + "9" * 41,
                    "walletpos/1.0<script>", "walletpos/1.0\n"):
        assert parse_user_agent(hostile) is None
