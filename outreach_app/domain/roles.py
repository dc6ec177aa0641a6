"""Who may do what (contracts §10). The services ask here before they write anything.

A worker logs, tallies, voids their own records, receives, bags out and in, counts and makes
reports with small counts suppressed. A coordinator may also do everything listed in
`COORDINATOR_ONLY`. The rule is checked in the services, whatever the caller (app, CLI, merge).
"""

from __future__ import annotations

from enum import StrEnum

from outreach_app.domain.errors import RoleRefused


class Role(StrEnum):
    WORKER = "worker"
    COORDINATOR = "coordinator"


class Action(StrEnum):
    """Things only a coordinator may do; the value reads after "may not …"."""

    TRANSFER = "transfer stock between sites"
    ADJUST = "adjust stock"
    VOID_OTHERS = "void or reverse a record someone else made"
    CATALOG = "change the catalog or sites"
    STAFF = "add or deactivate staff"
    UNSUPPRESSED = "make a report with small counts shown"
    REPAIR = "run check --repair"
    PURGE = "purge old free text"
    AUDIT = "view the audit log"
    IMPORT_ANYWAY = "import a spreadsheet despite a shortfall"
    SETTINGS = "change the organisation's settings"
    PASSPHRASE = "change the passphrase"


COORDINATOR_ONLY = frozenset(Action)


def parse_role(text: str) -> Role:
    value = text.strip().lower()
    for role in Role:
        if role.value == value:
            return role
    raise ValueError(text)


def may(role: str | None, action: Action) -> bool:
    return role == Role.COORDINATOR.value or action not in COORDINATOR_ONLY


def require(name: str | None, role: str | None, action: Action) -> None:
    """Refuse (exit 1) naming the role, before anything is written."""
    if may(role, action):
        return
    if name is None:
        raise RoleRefused(
            f"Nobody is signed in, so no one may {action.value}. Sign in and try again; "
            "nothing was written."
        )
    raise RoleRefused(
        f"{name} is a {role or 'person without a role'} and only a coordinator may "
        f"{action.value}. Nothing was written; ask a coordinator (or act as one with "
        "--staff NAME)."
    )
