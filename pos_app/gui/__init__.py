"""The Qt screens over the headless terminal service (`pos_app.terminal.service`).

Why it is shaped this way. A widget never decides money and never touches SQLite or HTTP:
every call to `TerminalService` goes through `operations.Operations`, which runs it on a worker
thread and hands back the result, or a typed error with a reason code, by signal (Anki's
CollectionOp). Each finished operation says what it changed (`OpChanges`), and a screen redraws
only the parts that care. Screens are composed of small widgets with one job each
(Electrum's warning: do not grow one main window that every feature edits).

Public API: `app.make_app` / `app.apply_language` / `app.apply_theme` (QApplication set-up),
`operations.Operations`, `OpChanges`, `OpError`, `counter.window.CounterWindow`,
`receipts.Receipt`. Everything else is internal to its screen.
"""
