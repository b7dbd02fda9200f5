"""The frozen bundle's entry point: the same `walletpos` command as the console script
(`pos_app.cli:main`), so `dist/walletpos/walletpos ARGS` and `.venv/bin/walletpos ARGS` agree."""

import multiprocessing

from pos_app.cli import main

# `central serve --workers N` starts uvicorn's workers with multiprocessing's "spawn", which
# re-runs this executable: freeze_support() turns such a child into the worker, not the CLI.
multiprocessing.freeze_support()
main()
