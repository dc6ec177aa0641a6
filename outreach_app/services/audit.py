"""Who changed what: catalog edits and coordinator actions. Never participant codes or notes."""

from __future__ import annotations

from outreach_app.services.uow import UnitOfWork
from outreach_app.storage.models import AuditEntry


def record(uow: UnitOfWork, action: str, detail: str, staff: str | None = None) -> None:
    uow.session.add(
        AuditEntry(
            device_id=uow.device_id,
            created_at=uow.now(),
            staff=staff,
            action=action,
            detail=detail[:500],
        )
    )
