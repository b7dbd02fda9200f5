"""The frozen bundle's entry point: the same `walletpos` command as the console script
(`pos_app.cli:main`), so `dist/walletpos/walletpos ARGS` and `.venv/bin/walletpos ARGS` agree."""

from pos_app.cli import main

main()
