"""Printing physical cards and reports as PDF with Qt's own QPdfWriter (no extra dependency).

Public API: `Brand`, `load_brand` (brand); `PrintedCard`, `write_card_sheet`, `PAGE_LAYOUTS`,
`qr_matrix` (cards_pdf). Qt is imported only when a sheet is written, so the CLI stays fast.
"""
