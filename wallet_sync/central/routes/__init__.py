"""Central's HTTP edge: one FastAPI `APIRouter` per area, each a thin entrypoint that opens the
transaction and calls one service function (`wallet_sync.central.<service>`).

- `health`, `enrollment` (terminals joining), `sync` (journal push, change pull),
  `authorize` (online spends), `code_pool`, `members` (snapshots and head office's members),
  `store` (a store's own conflict cases): what terminals and head office call;
- `programs`, `cards`, `staff`, `risk` (conflict cases, exposure), `office_admin` (console
  users, liability figures): head office only;
- `office_auth`, `office_reports`, `office_risk`, `office_programs`, `office_customers`,
  `office_audit`: the head-office console's pages at /office, over `office_web` (templates,
  the signed-in user, roles, CSRF); not in the OpenAPI document.

What they share: `state.Central` (database, key, clock), `callers` (who signed or which admin
key), `inputs` (raw bodies and query integers) and `http_errors`, the one place where a
service's refusal becomes an HTTP status. `app.create_app` includes the routers.
"""
