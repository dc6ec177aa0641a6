"""Free text as it is written: emptied when a purge already covers it, checked when it is kept.

One hook on every flush of a unit of work looks at the new records that hold free text (the
purgeable columns of `storage/triggers.APPEND_ONLY`), whatever service wrote them:

- Retention (contracts §10): a record that occurred before the cut-off of a purge already made
  (a back-dated entry, a void or count keyed in late, a record that arrives later) is written
  with its free text empty, so the text never reaches the file. Bulk writes that bypass the
  ORM (spreadsheet import) call `purged_note` themselves.
- Identifying text (issue 10 point 5): text that is kept and looks identifying becomes a
  `TextWarning` on the unit; the service that wrote it returns `take(uow)` with its result.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from outreach_app.domain.text_warnings import TextWarning, check_text
from outreach_app.i18n import N_
from outreach_app.services.uow import UnitOfWork
from outreach_app.storage.models import Purge
from outreach_app.storage.triggers import APPEND_ONLY

#: The moment that decides whether a purge covers a record: when it occurred (a void and
#: another device's copy of a record occur when they are made).
MOMENT: dict[str, str] = {
    "encounters": "occurred_at",
    "encounter_voids": "created_at",
    "stock_movements": "occurred_at",
    "stocktakes": "occurred_at",
    "record_copies": "created_at",
}
PURGEABLE: dict[str, tuple[str, ...]] = {t: cols for t, cols in APPEND_ONLY.items() if cols}
#: Which text it is, in words (message ids: `TextWarning.describe` translates them).
FIELDS: dict[tuple[str, str], str] = {
    ("encounters", "note"): N_("the note"),
    ("encounter_voids", "reason"): N_("the reason for voiding"),
    ("stock_movements", "note"): N_("the stock note"),
    ("stocktakes", "note"): N_("the count's note"),
    ("record_copies", "reason"): N_("the reason"),
}
_CUT_OFF = "purge_cut_off"
_WARNINGS = "text_warnings"
_NONE = object()


def latest_cut_off(session: Session) -> datetime | None:
    """The latest cut-off of every purge this database holds (cached for the unit)."""
    cached = session.info.get(_CUT_OFF, _NONE)
    if cached is _NONE:
        # Not session.scalar: this runs inside a flush, which must not autoflush.
        cached = session.connection().scalar(select(func.max(Purge.__table__.c.cut_off)))
        session.info[_CUT_OFF] = cached
    return cached


def forget_cut_off(session: Session) -> None:
    session.info.pop(_CUT_OFF, None)


def purged_note(session: Session, occurred_at: datetime, note: str) -> str:
    """`note`, or "" when a purge already covers a record that occurred at `occurred_at`."""
    cut_off = latest_cut_off(session) if note else None
    return "" if cut_off is not None and occurred_at < cut_off else note


def take(uow: UnitOfWork) -> tuple[TextWarning, ...]:
    """The warnings found since the last `take`, and forget them (one action's)."""
    uow.session.flush()
    found = uow.session.info.pop(_WARNINGS, [])
    return tuple(warning for _, warning in found)


def _texts(obj: Any) -> list[tuple[str, str, str]]:
    table = getattr(type(obj), "__tablename__", "")
    return [(table, column, getattr(obj, column) or "") for column in PURGEABLE.get(table, ())]


def _on_flush(session: Session, _context: Any, _instances: Any) -> None:
    uow: UnitOfWork | None = session.info.get("uow")
    if uow is None:
        return
    new = [obj for obj in session.new if getattr(type(obj), "__tablename__", "") in PURGEABLE]
    if not new:
        return
    cut_off = latest_cut_off(session)
    kept: list[tuple[str, str, str]] = []
    for obj in new:
        texts = [t for t in _texts(obj) if t[2]]
        moment = getattr(obj, MOMENT[type(obj).__tablename__], None) or uow.now()
        if texts and cut_off is not None and moment < cut_off:
            for _, column, _ in texts:
                setattr(obj, column, "")
        else:
            kept += texts
    found: list[tuple[str, TextWarning]] = session.info.setdefault(_WARNINGS, [])
    # Shortest first: a reversal's note ("void: …") repeats the reason typed once; warn once.
    for table, column, text in sorted(kept, key=lambda t: len(t[2])):
        if any(seen in text for seen, _ in found):
            continue
        warning = check_text(FIELDS.get((table, column), N_("the text")), text)
        if warning is not None:
            found.append((text, warning))


event.listen(Session, "before_flush", _on_flush)
