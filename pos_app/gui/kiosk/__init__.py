"""The customer-facing kiosk: scan a card, see its balance or points. Read-only by design."""
