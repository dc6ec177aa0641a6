"""What every report and form prints in its header, and which sites it covers: the
organisation, the device, the moment it was generated, and `--site` read as one site or all.

Shared by the monthly tally, the inventory reconciliation and the paper forms, so none of them
imports another to print a header.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from outreach_app.services import lookup
from outreach_app.services.uow import UnitOfWork
from outreach_app.storage.models import Device, Setting, Site


def generated_at(now: datetime | None = None) -> datetime:
    """`SOURCE_DATE_EPOCH` when set (reproducible reports), else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    return now or datetime.now(UTC)


def means_all_sites(site: str | None) -> bool:
    """`--site` defaults to all; `all` is matched in any case, like any code."""
    return site is None or site.strip().lower() == "all"


def resolve_sites(session: Session, site: str | None) -> list[Site]:
    """One named site, or every site (None or `all`), by name."""
    if site is None or means_all_sites(site):
        return list(session.scalars(select(Site).order_by(Site.name)))
    return [lookup.site_by_name(session, site)]


def org_name(uow: UnitOfWork) -> str:
    """The organisation every report and form is printed for."""
    return uow.session.scalar(select(Setting.value).where(Setting.key == "org_name")) or ""


def device_name(uow: UnitOfWork) -> str:
    """The device a report was generated on, for its header."""
    return uow.session.scalar(select(Device.name).where(Device.id == uow.device_id)) or "?"
