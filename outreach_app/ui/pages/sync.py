"""Sync: this device, invitations, bundles by file, the hub (`sync_hub.HubBox`), the devices
known and what is held back (contracts §9).

Bundles, invitations and revocations are short database work on the window's single worker
(SQLite has one writer); a refused bundle import writes nothing, and the page says so.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from outreach_app.domain.errors import OutreachError
from outreach_app.i18n import N_, _, ngettext
from outreach_app.services import devices
from outreach_app.sync import bundles
from outreach_app.sync.hub import remembered_hub_shown
from outreach_app.sync.joining import make_invitation

from outreach_app.ui.context import AppContext
from outreach_app.ui.dialogs.save_file import SaveFileDialog
from outreach_app.ui.models.rows import RowRole, SortRole
from outreach_app.ui.models.sync_tables import CountsModel, DevicesModel, HeldModel
from outreach_app.ui.pages.sync_hub import HubBox
from outreach_app.ui.pages.sync_jobs import (
    ConfirmRevoke,
    JoinCodeDialog,
    OpenBundles,
    monospace,
    rows_of,
)
from outreach_app.ui.widgets.common import MessageLine, RefreshWhenShown, compact_table
from outreach_app.ui.widgets.page import Page

IMPORT_HEADERS = (N_("Kind"), N_("Added"), N_("Already present"), N_("Quarantined"), N_("Pending"))
EXPORT_HEADERS = (N_("Kind"), N_("Records"))


def _table(model: Any, name: str) -> QTableView:
    proxy = QSortFilterProxyModel(model)
    proxy.setSourceModel(model)
    proxy.setSortRole(SortRole)
    view = QTableView()
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.sortByColumn(0, Qt.SortOrder.AscendingOrder)  # else Qt starts descending
    view.setAccessibleName(name)
    compact_table(view)
    view.horizontalHeader().setStretchLastSection(True)
    return view


class SyncPage(Page):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._build()
        self._refresher = RefreshWhenShown(self, context, self.refresh)
        context.person_changed.connect(self._follow_role)
        self._follow_role()
        self.refresh()

    # Layout ---------------------------------------------------------------------------------

    def _build(self) -> None:
        self.message = MessageLine()
        self.hub = HubBox(self._context, self.message, self._show_counts, self.refresh)
        self.hub.ended.connect(self.work_ended)
        # Left, what is set once (this device, the hub); right, the bundles and the last
        # result, which takes the height left and the wider half (five or six columns).
        left, right = QVBoxLayout(), QVBoxLayout()
        left.addWidget(self._device_box())
        left.addWidget(self.hub)
        left.addStretch(1)
        right.addWidget(self._files_box())
        right.addWidget(self._counts_box(), 1)
        top = QHBoxLayout()
        top.addLayout(left, 2)
        top.addLayout(right, 3)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addLayout(top, 3)
        layout.addWidget(self._devices_box(), 2)
        layout.addWidget(self._held_box(), 2)

    def _device_box(self) -> QGroupBox:
        box = QGroupBox(_("This device"))
        form = QFormLayout(box)
        self.device_name = QLabel()
        self.fingerprint = QLabel()
        self.fingerprint.setFont(monospace(1.6))
        self.fingerprint.setAccessibleName(_("Fingerprint"))
        self.org_name = QLabel()
        self.org_name.setWordWrap(True)
        form.addRow(_("Name:"), self.device_name)
        form.addRow(_("Fingerprint:"), self.fingerprint)
        form.addRow(_("Organisation:"), self.org_name)
        self.invite_button = QPushButton(_("&Invite a device…"))
        self.invite_button.setAccessibleName(_("Invite a device"))
        self.invite_button.clicked.connect(self._on_invite)
        form.addRow(self.invite_button)
        return box

    def _files_box(self) -> QGroupBox:
        box = QGroupBox(_("Bundles on a file (a USB stick)"))
        # One under the other, Export with its choice under it, then Import: on one line the
        # three made the window wider than a 1024-pixel screen in French, and beside each
        # other they left the list of pages too narrow to read.
        column = QVBoxLayout(box)
        self.export_button = QPushButton(_("E&xport to a file…"))
        self.export_button.setAccessibleName(_("Export to a file"))
        self.export_button.clicked.connect(self._on_export)
        self.everything = QCheckBox(_("Every record, not only &new ones"))
        self.everything.setAccessibleName(_("Export every record"))
        self.import_button = QPushButton(_("I&mport files…"))
        self.import_button.setAccessibleName(_("Import files"))
        self.import_button.clicked.connect(self._on_import)
        for widget in (self.export_button, self.everything, self.import_button):
            column.addWidget(widget, 0, Qt.AlignmentFlag.AlignLeft)  # buttons as wide as their text
        return box

    def _counts_box(self) -> QGroupBox:
        box = QGroupBox(_("Last result"))
        column = QVBoxLayout(box)
        self.counts_title = QLabel(_("Nothing exported, imported or synced yet."))
        self.counts_title.setWordWrap(True)
        self.counts = CountsModel(IMPORT_HEADERS, self)
        self.counts_view = _table(self.counts, _("Records by kind"))
        column.addWidget(self.counts_title)
        column.addWidget(self.counts_view)
        return box

    def _devices_box(self) -> QGroupBox:
        box = QGroupBox(_("Devices of the organisation"))
        column = QVBoxLayout(box)
        self.devices = DevicesModel(self)
        self.devices_view = _table(self.devices, _("Devices"))
        self.revoke_button = QPushButton(_("Re&voke the selected device…"))
        self.revoke_button.setAccessibleName(_("Revoke the selected device"))
        self.revoke_button.clicked.connect(self._on_revoke)
        column.addWidget(self.devices_view)
        row = QHBoxLayout()
        row.addWidget(self.revoke_button)
        row.addStretch(1)
        column.addLayout(row)
        return box

    def _held_box(self) -> QGroupBox:
        box = self.held_box = QGroupBox(_("Quarantined and pending records"))
        column = QVBoxLayout(box)
        self.held = HeldModel(self)
        self.held_view = _table(self.held, _("Quarantined and pending records"))
        column.addWidget(self.held_view)
        return box

    def _follow_role(self, _person: Any = None) -> None:
        # Invitations and revocations are the coordinator's (the services refuse them anyway).
        for button in (self.invite_button, self.revoke_button):
            button.setEnabled(self._context.is_coordinator)

    # Reading --------------------------------------------------------------------------------

    def refresh(self) -> None:
        def read(store: Any) -> tuple[Any, ...]:
            with store.reading() as uow:
                here, known = devices.this_device(uow), devices.list_devices(uow)
            return here, known, bundles.held_list(store), remembered_hub_shown(store)

        self._context.worker.submit(read, self._show, self._on_failed)

    def _show(self, result: tuple[Any, ...]) -> None:
        here, known, held, hub = result
        self.device_name.setText(here.name)
        self.fingerprint.setText(here.fingerprint)
        self.org_name.setText(here.org_name)
        self.devices.set_rows(known)
        self.devices_view.resizeColumnsToContents()
        self.held.device_names = {d.id: d.name for d in known}
        self.held.set_rows(held)
        self.held_view.resizeColumnsToContents()  # the reason column stretches to the end
        self.held_box.setTitle(  # an empty list says so
            _("Quarantined and pending records: {n}", n=len(held))
            if held
            else _("Quarantined and pending records: none")
        )
        self.hub.show_remembered(hub)

    def _show_counts(self, title: str, headers: tuple[str, ...], rows: list[Any]) -> None:
        self.counts_title.setText(title)
        self.counts.HEADERS = headers  # type: ignore[misc]
        self.counts.set_rows(rows)
        self.counts_view.resizeColumnsToContents()

    def _on_failed(self, error: OutreachError) -> None:
        self.message.show_error(str(error))

    # Invitations, bundles, revocation --------------------------------------------------------

    def _on_invite(self) -> None:
        if not self._context.require_coordinator(self, _("invite a device")):
            return
        out = SaveFileDialog.ask(
            self, _("Save the invitation"), Path.home() / "device.invite", "(*.invite)"
        )
        if out is None:
            return
        self._context.submit_write(
            lambda store: make_invitation(store, out), self._on_invited, self._on_failed
        )

    def _on_invited(self, made: Any) -> None:
        self.message.show_info(_("Invitation saved to {path}.", path=made.path))
        JoinCodeDialog.ask(self, made.path, made.join_code)
        self._context.data_changed.emit()

    def _on_export(self) -> None:
        out = SaveFileDialog.ask(
            self, _("Export to a file"), Path.home() / "outreach.bundle", "(*.bundle)"
        )
        if out is None:
            return
        everything = self.everything.isChecked()
        self.message.clear_message()
        self._context.submit_write(
            lambda store: bundles.export_bundle(store, out, everything=everything),
            self._on_exported,
            self._on_failed,
        )

    def _on_exported(self, done: Any) -> None:
        title = ngettext(
            "Wrote {path} with {n} record.",
            "Wrote {path} with {n} records.",
            done.total,
            path=done.path,
        )
        self.message.show_info(title)
        self._show_counts(title, EXPORT_HEADERS, rows_of(done.by_kind))
        self._context.data_changed.emit()

    def _on_import(self) -> None:
        paths = OpenBundles.ask(self)
        if not paths:
            return
        self.message.clear_message()
        self._context.submit_write(
            lambda store: bundles.import_bundles(store, paths),
            self._on_imported,
            self._on_import_refused,
        )

    def _on_imported(self, counts: Any) -> None:
        added, held = counts.total("added"), counts.total("quarantined") + counts.total("pending")
        title = _(
            "Imported: {added} added, {held} held back (listed below).", added=added, held=held
        )
        self.message.show_info(title)
        self._show_counts(title, IMPORT_HEADERS, rows_of(counts.rows()))
        self._context.data_changed.emit()
        self.refresh()

    def _on_import_refused(self, error: OutreachError) -> None:
        self.message.show_error(
            _("{reason}\nNothing was written from any of the files.", reason=str(error))
        )

    def _on_revoke(self) -> None:
        if not self._context.require_coordinator(self, _("revoke a device")):
            return
        index = self.devices_view.currentIndex()
        device = index.data(RowRole) if index.isValid() else None
        if device is None:
            self.message.show_error(_("Select a device in the table first."))
            return
        if not ConfirmRevoke.ask(self, device.name, device.fingerprint):
            return
        fingerprint = device.fingerprint
        self._context.submit_write(
            lambda store: store.write(lambda uow: devices.revoke(uow, fingerprint)),
            self._on_revoked,
            self._on_failed,
        )

    def _on_revoked(self, info: Any) -> None:
        self.message.show_info(
            _(
                "{name} is revoked. If your organisation has a hub, remove its login there too.",
                name=info.name,
            )
        )
        self._context.data_changed.emit()
        self.refresh()

    def stop_work(self) -> bool:
        return self.hub.stop()  # the sync stops after its batch; nothing half-written

    def closeEvent(self, event: Any) -> None:
        self.hub.cancel()
        super().closeEvent(event)
