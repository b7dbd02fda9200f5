"""walletpos domain core: money, card codes, the gift-card ledger, the signed journal and card
credentials. Pure Python — no Qt, no HTTP, no database session, no global state — so every
rule that decides money is testable in microseconds and shared by terminal and central."""
