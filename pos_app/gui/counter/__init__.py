"""The counter screen: one window (`window.CounterWindow`) composed of small widgets with one
job each — header, login, basket, scan panel, manual code entry, card/quote panel, receipt,
status bar, offline banner. Work goes through `pos_app.gui.operations`; see `tasks` for the
units of work and what they return."""
