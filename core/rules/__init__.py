"""The loyalty and rules engine: pure functions over program data, a basket and snapshots.

Modules, one job each (import from them directly; this package imports nothing so that
`core.programs` can use the rule parsers without a cycle):

- `basket`      the validated basket (`Basket`, `Line`, `parse_basket`, `BasketError`)
- `context`     the CEL context (`Customer`, `Store`, `CardFacts`, `FIELDS`)
- `expressions` CEL compile-once and never-raise evaluation
- `schema`      strict program-file field readers and `ProgramError`
- `limits`      limits, recurring windows, and the `Usage` input (`tally`, `UsageRecord`)
- `shared_limits` which limits central counts across tills, and offline share sizes
- `loyalty`     earning, milestones, tiers, rewards, stacking; `tier_status`, `period_bounds`
- `points`      points lots with expiry: earn, burn, void, expire, replay
- `offers`      what a quote contains (`Quote`, offers, `Refusal`, `MemberView`)
- `quote`       `quote(...)`, with `CardHolding` and `Membership` inputs
- `choose`      `choose(quote, choices) -> Plan` of journal operations
"""
