"""The Sync page's tables: the devices this one knows, what is held back (quarantined or
pending), and the per-kind counts of the last export, import or sync."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from outreach_app.domain.record_kinds import kind_label
from outreach_app.i18n import N_, _
from outreach_app.sync.held import reason_text

from outreach_app.ui.models.rows import RowsTableModel


def _when(moment: datetime | None) -> str:
    # Local time, minutes: the person compares it with their own clock, not with the log.
    return moment.astimezone().strftime("%Y-%m-%d %H:%M") if moment is not None else ""


class _Translated(RowsTableModel):
    """Headers are marked with N_ and translated when shown, so a language switch applies."""

    def headerData(self, section: int, orientation: Any, role: int = 0) -> Any:
        text = super().headerData(section, orientation, role)
        return _(text) if isinstance(text, str) else text


COL_NAME, COL_FINGERPRINT, COL_JOINED, COL_LAST_RECORD, COL_LAST_SYNC, COL_REVOKED = range(6)


class DevicesModel(_Translated):
    """One row per `DeviceInfo` of the services."""

    HEADERS = (
        N_("Name"),
        N_("Fingerprint"),
        N_("Joined"),
        N_("Last record"),
        N_("Last sync"),
        N_("Revoked"),
    )

    def display(self, row: Any, column: int) -> str:
        if column == COL_NAME:
            return _("{name} (this device)", name=row.name) if row.this_device else row.name
        if column == COL_FINGERPRINT:
            return str(row.fingerprint)
        moments = {
            COL_JOINED: row.joined_at,
            COL_LAST_RECORD: row.last_record_at,
            COL_LAST_SYNC: row.last_sync_at,
            COL_REVOKED: row.revoked_at,
        }
        return _when(moments.get(column))


COL_KIND, COL_RECORD, COL_FROM, COL_AT, COL_STATE, COL_REASON = range(6)


class HeldModel(_Translated):
    """One row per `HeldRow`: a record received but not applied."""

    HEADERS = (N_("Kind"), N_("Record"), N_("From device"), N_("Made"), N_("State"), N_("Reason"))

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.device_names: dict[Any, str] = {}

    def display(self, row: Any, column: int) -> str:
        if column == COL_KIND:
            return str(kind_label(row.kind))
        if column == COL_RECORD:
            return str(row.record_id)[:8]  # enough to tell rows apart; the CLI has the rest
        if column == COL_FROM:
            return self.device_names.get(row.from_device, str(row.from_device)[:8])
        if column == COL_AT:
            return _when(row.created_at)
        if column == COL_STATE:
            return _("pending") if row.state == "pending" else _("quarantined")
        if column == COL_REASON:
            return str(reason_text(row.reason))
        return ""


class CountsModel(_Translated):
    """Rows of (kind code, n1, n2, ...): the headers say what each number counts; the kind
    shows as its label (`domain.record_kinds`), the code stays in the row."""

    def __init__(self, headers: tuple[str, ...], parent: Any = None) -> None:
        super().__init__(parent)
        self.HEADERS = headers  # type: ignore[misc]

    def display(self, row: Any, column: int) -> str:
        return str(kind_label(row[0])) if column == 0 else str(row[column])

    def is_number(self, column: int) -> bool:
        return column > 0

    def sort_value(self, row: Any, column: int) -> Any:
        return self.display(row, 0).casefold() if column == 0 else row[column]
