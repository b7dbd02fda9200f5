"""The console's four roles and what each may do. One table, read by the routes' `Allowed`
dependency (routes/office_web.py), so a permission is checked in one place and a test can
read what a role is meant to reach."""

from __future__ import annotations

ADMIN, MARKETER, SUPPORT, AUDITOR = "admin", "marketer", "support", "auditor"
ROLES = (ADMIN, MARKETER, SUPPORT, AUDITOR)

# permission -> the roles that have it
PERMISSIONS: dict[str, frozenset[str]] = {
    "reports": frozenset({ADMIN, MARKETER, AUDITOR}),
    "risk": frozenset({ADMIN, AUDITOR, SUPPORT}),  # exposure, conflicts, terminals (read)
    "resolve": frozenset({ADMIN}),  # resolve a conflict case
    "programs": frozenset({ADMIN, MARKETER, AUDITOR}),  # read drafts, diffs, simulations
    "edit_programs": frozenset({ADMIN, MARKETER}),  # write, submit and approve drafts
    "customers": frozenset({ADMIN, SUPPORT}),
    # GDPR export and erase: the customer desk's job; the auditor sees that it happened in
    # the audit log, never the data; a marketer never reaches personal data
    "gdpr": frozenset({ADMIN, SUPPORT}),
    "decommission": frozenset({ADMIN}),  # retire a terminal: returns its grants and codes
    "audit": frozenset({ADMIN, AUDITOR}),
}


def may(role: str, permission: str) -> bool:
    return role in PERMISSIONS.get(permission, frozenset())
