"""Log encounter: the hot path. A returning participant's visit in a dozen keys.

Keys: Enter in the code field jumps to the supplies; in a number box a letter jumps to the next
item whose name starts with it and Enter leaves the supplies for the naloxone reason (when
naloxone is given) or used syringes returned; Ctrl+Enter saves; Ctrl+R repeats the last visit;
Ctrl+Z undoes the last save for 10 seconds.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, QStringListModel, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QCompleter, QVBoxLayout, QWidget

from outreach_app.domain.clock import utc_now
from outreach_app.domain.errors import OutreachError, ShortfallError
from outreach_app.domain.text_warnings import text_hints
from outreach_app.domain.values import EncounterDraft, EncounterSummary
from outreach_app.i18n import _

from outreach_app.ui.context import AppContext
from outreach_app.ui.pages.log_form import LogForm
from outreach_app.ui.pages.log_jobs import (
    FormData,
    last_visit,
    load_form,
    lookup_code,
    save_encounter,
    undo_encounter,
)
from outreach_app.ui.pages.log_messages import (
    NOTHING_TO_SAVE,
    not_saved_text,
    saved_text,
)
from outreach_app.ui.theme import set_tone
from outreach_app.ui.widgets.page import Page
from outreach_app.ui.widgets.shortfall import ShortfallConfirm
from outreach_app.ui.widgets.text_warning import warning_text
from outreach_app.ui.worker import JobFailed

UNDO_SECONDS = 10
LOOKUP_DELAY_MS = 200


class LogEncounterPage(Page):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.form = LogForm()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.form)
        self._data: FormData | None = None
        self._last_saved: EncounterSummary | None = None
        self._saving = False

        self._codes = QStringListModel(self)
        completer = QCompleter(self._codes, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.form.code.setCompleter(completer)
        self._lookup_timer = QTimer(self, singleShot=True, interval=LOOKUP_DELAY_MS)
        self._lookup_timer.timeout.connect(self._on_lookup_due)
        self._undo_timer = QTimer(self, singleShot=True, interval=UNDO_SECONDS * 1000)
        self._undo_timer.timeout.connect(self._on_undo_expired)

        self.save_action = self._action(
            _("Save encounter"), [QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")]
        )
        self.save_action.triggered.connect(self._on_save)
        self.repeat_action = self._action(_("Repeat last visit"), [QKeySequence("Ctrl+R")])
        self.repeat_action.triggered.connect(self._on_repeat)
        self.undo_action = self._action(_("Undo last save"), [QKeySequence.StandardKey.Undo])
        self.undo_action.triggered.connect(self._on_undo)
        self.undo_action.setEnabled(False)
        self.clear_action = self._action(_("Clear form"), [QKeySequence("Ctrl+Shift+Backspace")])
        self.clear_action.triggered.connect(self._on_clear)

        f = self.form
        f.save.clicked.connect(self._on_save)
        f.repeat.clicked.connect(self._on_repeat)
        f.undo.clicked.connect(self._on_undo)
        f.clear.clicked.connect(self._on_clear)
        f.empty_hint.linkActivated.connect(
            lambda _: self.action_requested.emit("Inventory", "receive")
        )
        f.code.textChanged.connect(self._on_code_changed)
        f.note.textChanged.connect(self._on_note_changed)
        for widget in (f.code, f.reason, f.returned, f.reversals, f.training, f.note):
            widget.installEventFilter(self)
        f.reason.setVisible(False)
        f.reason_label.setVisible(False)
        context.site_changed.connect(lambda _site: self.reload())
        context.data_changed.connect(self.reload)
        self.reload()

    def page_actions(self) -> dict[str, QAction]:
        return {
            "save": self.save_action,
            "repeat": self.repeat_action,
            "undo": self.undo_action,
            "clear": self.clear_action,
        }

    def page_shown(self) -> None:
        self.form.code.setFocus()

    def _action(self, text: str, keys: list[QKeySequence]) -> QAction:
        action = QAction(text, self)
        action.setShortcuts(keys)
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addAction(action)
        return action

    # Loading ---------------------------------------------------------------------------------

    def reload(self) -> None:
        site = self.context.current_site
        self.context.worker.submit(  # sites, catalog, stock: nothing about participants
            lambda store: load_form(store, site),
            self._on_loaded,
            self._on_error,
            ahead_of_sign_in=True,
        )

    def _on_loaded(self, data: FormData) -> None:
        old = self._data
        self._data = data
        items = [i for i in data.items if i.active]
        kits = [k for k in data.kits if k.active]
        refs = [r for r in data.referrals if r.active]
        if old is None or (
            [i.code for i in old.items if i.active],
            [k.code for k in old.kits if k.active],
            [r.code for r in old.referrals if r.active],
        ) != ([i.code for i in items], [k.code for k in kits], [r.code for r in refs]):
            self.form.set_catalog(items, kits, refs)
            for row in self.form.item_rows + self.form.kit_rows:
                row.spin.installEventFilter(self)
                row.value_changed.connect(self._on_quantity_changed)
        self._on_quantity_changed()
        self.form.show_empty_hint(self.context.current_site, not any(data.usable.values()))

    # Quantities, on hand, naloxone reason ------------------------------------------------------

    def _wanted(self) -> dict[str, int]:
        wanted = {r.code: r.value() for r in self.form.item_rows}
        kits = {k.code: k for k in (self._data.kits if self._data else [])}
        for row in self.form.kit_rows:
            for code, qty in kits[row.code].lines if row.code in kits else ():
                wanted[code] = wanted.get(code, 0) + qty * row.value()
        return wanted

    def _on_quantity_changed(self, *_args: Any) -> None:
        if self._data is None:
            return
        wanted = self._wanted()
        for row in self.form.item_rows:
            row.show_on_hand(self._data.usable.get(row.code, 0), wanted.get(row.code, 0))
        naloxone = {i.code for i in self._data.items if i.is_naloxone}
        given = any(wanted.get(code, 0) > 0 for code in naloxone)
        self.form.reason.setVisible(given)
        self.form.reason_label.setVisible(given)

    # Keys ----------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress:
            return False
        key, mods = event.key(), event.modifiers()
        plain = not (mods & ~Qt.KeyboardModifier.KeypadModifier)
        enter = key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and plain
        f = self.form
        spins = [r.spin for r in f.item_rows + f.kit_rows]
        if watched is f.code and enter:
            if f.code.completer() and f.code.completer().popup().isVisible():
                f.code.completer().popup().hide()
            self._focus(spins[0] if spins else f.returned)
            return True
        if watched in spins:
            if enter:
                self._focus(f.reason if f.reason.isVisible() else f.returned)
                return True
            text = event.text()
            if plain and len(text) == 1 and text.isalpha():
                self._jump_to_item(spins.index(watched), text)
                return True
            return False
        if enter and watched in (f.reason, f.returned, f.reversals, f.training):
            self.focusNextChild()
            return True
        return False

    def _focus(self, widget: QWidget) -> None:
        widget.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if hasattr(widget, "selectAll"):
            widget.selectAll()

    def _jump_to_item(self, start: int, letter: str) -> None:
        rows = self.form.item_rows + self.form.kit_rows
        order = rows[start + 1 :] + rows[: start + 1]
        for row in order:
            if row.label_text.lower().startswith(letter.lower()):
                self._focus(row.spin)
                return

    # Participant code ----------------------------------------------------------------------

    def _on_code_changed(self, text: str) -> None:
        self.form.repeat.setEnabled(False)
        self.repeat_action.setEnabled(False)
        if not text.strip():
            self._lookup_timer.stop()
            self.form.status.setText(_("anonymous contact"))
            return
        self._lookup_timer.start()

    def _on_lookup_due(self) -> None:
        code = self.form.code.text().strip()
        if code:
            self.context.worker.submit(
                lambda store: lookup_code(store, code),
                lambda result: self._on_status(code, result),
                self._on_code_error,
            )

    def _on_status(self, code: str, result: tuple[Any, list[str]]) -> None:
        if code != self.form.code.text().strip():
            return  # typed on since; a newer lookup is on its way
        status, codes = result
        self._codes.setStringList(codes)
        set_tone(self.form.status, None)
        self.form.status.setText(status.describe())
        self.form.repeat.setEnabled(status.known)
        self.repeat_action.setEnabled(status.known)
        if status.known:
            self._set_combo(self.form.age, status.age_band, only_if_empty=True)
            self._set_combo(self.form.gender, status.gender, only_if_empty=True)

    def _on_code_error(self, error: OutreachError) -> None:
        if isinstance(error, JobFailed):
            self._on_error(error)
            return
        set_tone(self.form.status, "error")
        self.form.status.setText(_("letters, digits and hyphens only; never a name"))

    @staticmethod
    def _set_combo(combo: Any, value: str | None, only_if_empty: bool = False) -> None:
        if only_if_empty and combo.currentData() is not None:
            return
        combo.setCurrentIndex(max(combo.findData(value), 0))

    # Note ----------------------------------------------------------------------------------

    def _on_note_changed(self, text: str) -> None:
        hints = text_hints(text)  # names, phones, dates, addresses
        self.form.note_warning.setVisible(bool(hints))
        if hints:
            self.form.note_warning.setText(warning_text(hints))

    # Saving --------------------------------------------------------------------------------

    def draft(self) -> EncounterDraft | None:
        f = self.form
        items = {r.code: r.value() for r in f.item_rows if r.value()}
        kits = {r.code: r.value() for r in f.kit_rows if r.value()}
        referrals = tuple(c for c, box in f.referral_boxes.items() if box.isChecked())
        code = f.code.text().strip() or None
        if not (
            code or items or kits or referrals or f.returned.value() or f.reversals.value()
        ) and not (f.training.isChecked() or f.note.text().strip()):
            return None
        return EncounterDraft(
            site=self.context.current_site,
            occurred_at=utc_now(),
            items=items,
            kits=kits,
            participant_code=code,
            age_band=f.age.currentData(),
            gender=f.gender.currentData(),
            people_served=f.people.value(),
            syringes_returned=f.returned.value(),
            reversals_reported=f.reversals.value(),
            naloxone_reason=f.reason.currentData() if f.reason.isVisible() else None,
            naloxone_training=f.training.isChecked(),
            referrals=referrals,
            note=f.note.text().strip(),
            is_new=None,
        )

    def _on_save(self) -> None:
        if self._saving:
            return
        draft = self.draft()
        if draft is None:
            self._message(str(NOTHING_TO_SAVE), error=True)
            return
        self._submit(draft, override=False)

    def _submit(self, draft: EncounterDraft, override: bool) -> None:
        self._saving = True
        self.context.submit_write(
            lambda store: save_encounter(store, draft, override),
            self._on_saved,
            lambda error: self._on_save_error(error, draft, override),
        )

    def _on_save_error(self, error: OutreachError, draft: EncounterDraft, override: bool) -> None:
        self._saving = False
        if isinstance(error, ShortfallError) and not override:
            # One confirmation, no PIN: the supplies are already handed out (contracts §1).
            if ShortfallConfirm.ask(self, error.shortfalls):
                self._submit(draft, override=True)
                return
            self._message(not_saved_text(error.shortfalls), error=True)
            return
        self._message(error.message, error=True)

    def _on_saved(self, saved: EncounterSummary) -> None:
        self._saving = False
        self._last_saved = saved
        self.clear_form()
        self._message(saved_text(saved, self._name))
        self.form.undo.show()
        self.undo_action.setEnabled(True)
        self._undo_timer.start()
        self.form.code.setFocus(Qt.FocusReason.OtherFocusReason)
        self.context.data_changed.emit()

    def _name(self, code: str) -> str:
        names = {i.code: i.name for i in (self._data.items if self._data else [])}
        return names.get(code, code)

    def _on_undo(self) -> None:
        saved = self._last_saved
        if saved is None:
            return
        self._on_undo_expired()
        self.context.submit_write(
            lambda store: undo_encounter(store, saved.id), self._on_undone, self._on_error
        )

    def _on_undone(self, _summary: EncounterSummary) -> None:
        self._message(_("Undone: that encounter is voided and its supplies are back on hand."))
        self.context.data_changed.emit()

    def _on_undo_expired(self) -> None:
        self._last_saved = None
        self._undo_timer.stop()
        self.form.undo.hide()
        self.undo_action.setEnabled(False)

    def _on_error(self, error: OutreachError) -> None:
        self._message(error.message, error=True)

    def _message(self, text: str, error: bool = False) -> None:
        set_tone(self.form.message, "error" if error else "info")
        self.form.message.setText(text)

    # Repeat and clear ----------------------------------------------------------------------

    def _on_repeat(self) -> None:
        code = self.form.code.text().strip()
        if not code:
            self._message(
                _("Type a participant code first to repeat their last visit."), error=True
            )
            return
        self.context.worker.submit(
            lambda store: last_visit(store, code), self._on_last_visit, self._on_error
        )

    def _on_last_visit(self, last: EncounterSummary | None) -> None:
        if last is None:
            self._message(_("No earlier visit for this code."), error=True)
            return
        kits = {k.code: k for k in (self._data.kits if self._data else [])}
        self.form.fill_from_visit(last, kits)
        when = last.occurred_at.astimezone(getattr(self.context.worker.store, "zone", None))
        self._message(
            _(
                "Filled from the visit of {day}: check, edit, then save.",
                day=when.date().isoformat(),
            )
        )

    def _on_receive_asked(self, _link: str) -> None:
        self.action_requested.emit("Inventory", "receive")  # the window opens Stock › Receive

    def _on_clear(self) -> None:
        self.clear_form()
        self.form.message.clear()  # an error about the form just emptied no longer applies
        self.form.code.setFocus(Qt.FocusReason.OtherFocusReason)

    def clear_form(self) -> None:
        self.form.clear_values()
