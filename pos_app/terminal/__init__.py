"""The headless terminal: local SQLite store (store.py, migrations/), encrypted key (keystore.py),
enrollment, the redemption money path (redeem.py), balance and journal verification, and the
`TerminalService` facade (service.py) that the CLI and the Qt screens call."""
