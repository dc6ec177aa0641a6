"""The Sync page's hub box: the remembered address (never its password), a password typed for
this sync only, Sync now with a progress bar and Cancel.

A sync can take minutes, so it runs on a thread of its own (`BackgroundCall`) rather than the
page's database worker: the sync service takes the store's write lock one batch at a time, so
saves from other pages go ahead between batches. Every outcome, a refusal, a lost connection or
a bug, ends the run the same way (`_end`), so the box is never left busy, and says so
(`ended`): the window waits for that before it closes the store (`stop`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
)

from outreach_app.domain.errors import OutreachError
from outreach_app.i18n import N_, _
from outreach_app.sync.hub import remembered_hub_shown, remembered_hub_url, sync_with_hub

from outreach_app.ui.background import BackgroundCall
from outreach_app.ui.context import AppContext
from outreach_app.ui.pages.sync_jobs import HubRun
from outreach_app.ui.widgets.common import MessageLine

SYNC_HEADERS = (
    N_("Kind"),
    N_("Sent"),
    N_("Received"),
    N_("Already present"),
    N_("Quarantined"),
    N_("Pending"),
)

ShowCounts = Callable[[str, tuple[str, ...], list[Any]], None]


def _address(store: Any, shown: str) -> str:
    """The address to sync with: the remembered one is shown masked, so it is used as stored
    when the field still shows it; anything else is what was typed. Read on the sync's thread
    (a database read), never the GUI's."""
    remembered = remembered_hub_url(store)
    return remembered if remembered and remembered_hub_shown(store) == shown else shown


class HubBox(QGroupBox):
    # A run has ended (synced, cancelled, refused or failed) and its thread is done with the
    # store; emitted after the run's own callbacks.
    ended = Signal()
    # Tests set this: the sync then runs inside the click (no thread to wait for).
    synchronous = False

    def __init__(
        self,
        context: AppContext,
        message: MessageLine,
        show_counts: ShowCounts,
        refresh: Callable[[], None],
    ) -> None:
        super().__init__(_("Hub"))
        self._context, self._message = context, message
        self._show_counts, self._refresh = show_counts, refresh
        self._run: HubRun | None = None
        self._call: BackgroundCall | None = None
        form = QFormLayout(self)
        self.address = QLineEdit()
        self.address.setPlaceholderText("postgresql://user@host/database")
        self.address.setAccessibleName(_("Hub address"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(_("Hub password"))
        self.password.setToolTip(_("Used for this sync only; never stored."))
        address_label = QLabel(_("&Address:"))
        address_label.setBuddy(self.address)
        password_label = QLabel(_("Pass&word:"))
        password_label.setBuddy(self.password)
        form.addRow(address_label, self.address)
        form.addRow(password_label, self.password)
        buttons = QHBoxLayout()
        self.sync_button = QPushButton(_("S&ync now"))
        self.sync_button.setAccessibleName(_("Sync now with the hub"))
        self.sync_button.clicked.connect(self._on_sync)
        self.cancel_button = QPushButton(_("&Cancel"))
        self.cancel_button.setAccessibleName(_("Cancel the sync"))
        self.cancel_button.clicked.connect(self._on_cancel)
        self.bar = QProgressBar()
        self.bar.setAccessibleName(_("Sync progress"))
        buttons.addWidget(self.sync_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.bar, 1)
        form.addRow(buttons)
        self._running(False)

    @property
    def running(self) -> bool:
        return self._run is not None

    def show_remembered(self, shown: str | None) -> None:
        if shown and not self.address.text():
            self.address.setText(shown)  # masked: the password was never kept
            self.address.setCursorPosition(0)  # its start shows, where the field is narrow

    def _on_sync(self) -> None:
        shown = self.address.text().strip()
        if not shown:
            self._message.show_error(_("Type the hub's address first."))
            return
        store = self._context.worker.store
        password = self.password.text() or None
        run = HubRun()
        run.progressed.connect(self._on_progress)
        self._run = run
        self._running(True)
        self._message.show_info(_("Connecting to the hub…"))
        self._call = BackgroundCall(
            lambda: sync_with_hub(
                store, _address(store, shown), password, run.progress, run.is_cancelled
            ),
            self._on_synced,
            self._on_failed,
            synchronous=self.synchronous,
        )
        # The window closing deletes this box: the sync stops after its batch and nothing is
        # delivered to the widgets that are gone.
        self.destroyed.connect(run.cancel)
        self.destroyed.connect(self._call.cancel)
        self._call.start()

    def wait(self, seconds: float | None = None) -> None:
        """For tests and closing: waits for the sync thread."""
        if self._call is not None:
            self._call.wait(seconds)

    def _running(self, running: bool) -> None:
        self.sync_button.setEnabled(not running)
        self.cancel_button.setVisible(running)
        self.cancel_button.setEnabled(True)
        self.bar.setVisible(running)
        self.bar.setRange(0, 0)  # no count until the first batch says how many

    def _on_progress(self, stage: str, done: int, total: int) -> None:
        words = {"pushing": _("Sending"), "pulling": _("Receiving")}
        self._message.show_info(
            _(
                "{stage}: batch {done} of {total}",
                stage=words.get(stage, stage),
                done=done,
                total=total,
            )
        )
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)

    def _on_cancel(self) -> None:
        if self._run is not None:
            self._run.cancel()
            self.cancel_button.setEnabled(False)
            self._message.show_info(_("Cancelling after the batch under way…"))

    def cancel(self) -> None:
        self._on_cancel()

    def stop(self) -> bool:
        """The store is about to close: the sync stops after the batch under way (each batch
        is one transaction, so none is cut in half). True while it runs; `ended` follows."""
        if self._run is None:
            return False
        self._on_cancel()
        self._message.show_info(_("Finishing the sync…"))
        return True

    def _end(self) -> None:
        self._run, self._call = None, None
        self.password.clear()  # used once, never kept
        self._running(False)
        # After the callback that called this (even one that fails): the window may close the
        # store as soon as it hears of it.
        QTimer.singleShot(0, self, self.ended.emit)

    def _on_synced(self, summary: Any) -> None:
        self._end()
        rows = [
            (r.kind, r.pushed, r.pulled, r.present, r.quarantined, r.pending)
            for r in summary.rows()
        ]
        if summary.complete:
            title = _(
                "Synced with {hub}: {sent} sent, {received} received.",
                hub=summary.hub,
                sent=summary.total_pushed,
                received=summary.total_pulled,
            )
        else:
            title = _("The sync was cancelled; the batches finished are kept.")
        self._message.show_info(title)
        self._show_counts(title, SYNC_HEADERS, rows)
        self._context.data_changed.emit()
        self._refresh()

    def _on_failed(self, error: BaseException) -> None:
        self._end()
        if isinstance(error, OutreachError):
            self._message.show_error(str(error))
        else:  # a bug: the box is usable again; the traceback is not the person's to read
            self._message.show_error(
                _("The sync stopped unexpectedly ({reason}).", reason=type(error).__name__)
            )
        self._refresh()
