"""The terminal: a headless terminal service (enroll, quote, commit, sync, local store) under
`pos_app.terminal`, the command line under `pos_app.cli`, and later the PySide6 screens, the
scanner and printing. Nothing outside `core` decides money."""
