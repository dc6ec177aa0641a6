"""Who may do what (contracts §10). The services ask here before they write anything.

A worker logs, tallies, voids their own records, receives, bags out and in, counts and makes
reports with small counts suppressed. A coordinator may also do everything listed in
`COORDINATOR_ONLY`. The rule is checked in the services, whatever the caller (app, CLI, merge).
"""

from __future__ import annotations

from enum import StrEnum

from outreach_app.domain.errors import RoleRefused
from outreach_app.i18n import N_, _, _l


class Role(StrEnum):
    WORKER = "worker"
    COORDINATOR = "coordinator"


class Action(StrEnum):
    """Things only a coordinator may do; the value reads after "only a coordinator may …" (a
    verb phrase in the infinitive, marked for the catalogue and translated where shown)."""

    TRANSFER = N_("transfer stock between sites")
    ADJUST = N_("adjust stock")
    VOID_OTHERS = N_("void or reverse a record someone else made")
    CATALOG = N_("change the catalog or sites")
    STAFF = N_("add or deactivate staff")
    UNSUPPRESSED = N_("make a report with small counts shown")
    REPAIR = N_("run check --repair")
    PURGE = N_("purge old free text")
    AUDIT = N_("view the audit log")
    IMPORT_ANYWAY = N_("import a spreadsheet despite a shortfall")
    SETTINGS = N_("change the organisation's settings")
    PASSPHRASE = N_("change the passphrase")
    DEVICES = N_("invite or revoke devices")


COORDINATOR_ONLY = frozenset(Action)
ROLE_LABELS = {Role.WORKER.value: N_("worker"), Role.COORDINATOR.value: N_("coordinator")}


def role_label(role: str) -> str:
    """A role in the current language ("worker" stays the stored value; this is for showing)."""
    return _(ROLE_LABELS[role]) if role in ROLE_LABELS else role


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
    what = _l(action.value)
    if name is None:
        raise RoleRefused(
            _l(
                "Nobody is signed in, so no one may {action}. Sign in and try again; nothing "
                "was written.",
                action=what,
            )
        )
    if role == Role.WORKER.value:
        raise RoleRefused(
            _l(
                "{name} is a worker and only a coordinator may {action}. Nothing was written; "
                "ask a coordinator (or act as one with --staff NAME).",
                name=name,
                action=what,
            )
        )
    raise RoleRefused(
        _l(
            "{name} is a person without a role and only a coordinator may {action}. Nothing "
            "was written; ask a coordinator (or act as one with --staff NAME).",
            name=name,
            action=what,
        )
    )
