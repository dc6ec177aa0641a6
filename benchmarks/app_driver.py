"""Child process of `bench_app`: start the app (or a bare QMainWindow) and print when it is shown,
ready (the first save can run) and checked, as `time.monotonic()` readings the parent compares
with its spawn time.

    python benchmarks/app_driver.py bare
    python benchmarks/app_driver.py app DATA_DIR [--memory]

Run with QT_QPA_PLATFORM=offscreen. For an encrypted folder the passphrase comes from
OUTREACH_BENCH_PASSPHRASE and is put into the unlock dialog as soon as it shows; the first
coordinator's PIN comes from OUTREACH_BENCH_PIN and is typed into the sign-in screen as soon as
its names show. "Ready" means the first save can run: someone is signed in, the Log encounter
form is loaded (sites, catalog and on-hand figures shown) and a write unit submitted then the way
a save is (`AppContext.submit_write`, an empty one) has run. "Checked" means the quick check
after opening, which runs beside all that, has ended and found nothing. `--memory` then opens the
Encounters page on "All time", scrolls a few pages and prints the resident memory. The process
ends with os._exit: no backup on close, no settings written (the parent gives it a throwaway
XDG_CONFIG_HOME as well).
"""

import time

STARTED = time.monotonic()

import os  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SCROLLS = 4  # pages fetched beyond the first when measuring memory


def mark(event: str, value: object = None) -> None:
    print(f"{event} {time.monotonic() if value is None else value}", flush=True)


def finish(code: int = 0) -> None:
    sys.stdout.flush()
    os._exit(code)


def memory_kb() -> tuple[int, int]:
    """(VmRSS, VmHWM) in kB from /proc/self/status; ru_maxrss where there is no /proc."""
    try:
        fields = dict(
            line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines()
        )
        return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])
    except OSError:
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak, peak


def bare() -> None:
    from PySide6.QtWidgets import QApplication, QMainWindow

    class Window(QMainWindow):
        def showEvent(self, event: Any) -> None:
            super().showEvent(event)
            mark("shown")
            mark("ready")
            mark("checked")
            if "--memory" in sys.argv:
                rss, hwm = memory_kb()
                mark("rss", rss)
                mark("hwm", hwm)
            finish()

    app = QApplication(sys.argv[:1])
    window = Window()
    window.resize(1280, 760)
    window.show()
    app.exec()


def app(data_dir: str, memory: bool) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QDialogButtonBox

    from outreach_app.cli import main

    from outreach_app.ui import page_registry
    from outreach_app.ui.dialogs.opening import UnlockDialog
    from outreach_app.ui.main_window import PAGES, MainWindow

    # Nothing the app imports late (the pages, the services) is imported here first.
    state: dict[str, Any] = {"window": None, "loaded": False}

    def check_ready() -> None:
        """Signed in and the form loaded: the first save's own path (a write unit through
        `submit_write`, as the Log page's Save) is tried at once; "ready" is when it has run.
        The unit writes nothing, so the generated data stays as it was."""
        window = state["window"]
        context = getattr(window, "context", None)
        if context is None or not state["loaded"] or "probing" in state:
            return
        if context.person is None or window.worker.paused:
            return
        state["probing"] = True
        context.submit_write(lambda store: store.write(lambda uow: None), written, refused)

    def written(_result: Any) -> None:
        state["ready"] = True
        mark("ready")
        done_when_both()

    def refused(error: Any) -> None:
        print(f"the first save was refused: {error.message}", file=sys.stderr)
        finish(1)

    def checked(problems: list[str]) -> None:
        if problems:
            print(f"the quick check found problems: {problems}", file=sys.stderr)
            finish(1)
        state["checked"] = True
        mark("checked")
        done_when_both()

    def done_when_both() -> None:
        if "ready" not in state or "checked" not in state or "finishing" in state:
            return
        state["finishing"] = True
        if memory:
            QTimer.singleShot(0, open_encounters)
        else:
            finish()

    def open_encounters() -> None:
        window = state["window"]
        index = [title for title, _module, _cls in PAGES].index("Encounters")
        window.show_page(index)
        page = window.pages.widget(index)
        page.period_combo.setCurrentIndex(page.period_combo.findText("All time"))
        scrolls = [0]

        def poll() -> None:
            model = page.model
            if model.is_loading or model.rowCount() == 0 or page._total is None:
                return
            if scrolls[0] < SCROLLS and model.canFetchMore(model.index(-1, -1)):
                scrolls[0] += 1
                page.table.scrollToBottom()
                model.fetchMore(model.index(-1, -1))
                return
            timer.stop()
            rss, hwm = memory_kb()
            mark("rows", model.rowCount())
            mark("total", page._total)
            mark("rss", rss)
            mark("hwm", hwm)
            finish()

        timer = QTimer(window, interval=20)
        timer.timeout.connect(poll)
        timer.start()

    shown_event = MainWindow.showEvent

    def show_event(self: MainWindow, event: Any) -> None:
        shown_event(self, event)
        if state["window"] is None:
            state["window"] = self
            mark("shown")

    attach_store = MainWindow.attach_store

    def attach_store_watched(self: MainWindow, store: Any, sites: Any = None) -> None:
        # The sign-in's modules load here, as in the app: after the window has shown.
        from outreach_app.ui.widgets.sign_in_screen import SignInScreen

        if not state.get("sign_in_hooked"):
            state["sign_in_hooked"] = True
            fill = SignInScreen.fill
            SignInScreen.fill = lambda screen, people, current: fill_and_sign_in(  # type: ignore[method-assign]
                screen, people, current, fill
            )
        attach_store(self, store, sites)
        self.opening_check.finished.connect(checked)
        # After the session's own slot: the worker has resumed when this runs.
        self.sign_in.signed_in.connect(lambda _person: check_ready())

    build_page = page_registry.build_page

    def build_page_watched(title: str, module: str, cls: str, context: Any) -> Any:
        """Hooks the Log encounter page's load when the app imports it (as it builds it)."""
        if cls == "LogEncounterPage" and not state.get("hooked"):
            state["hooked"] = True
            import importlib

            page_class = importlib.import_module(module).LogEncounterPage
            loaded = page_class._on_loaded

            def on_loaded(self: Any, data: Any) -> None:
                loaded(self, data)
                if self.form.item_rows:
                    state["loaded"] = True
                    check_ready()

            page_class._on_loaded = on_loaded
        return build_page(title, module, cls, context)

    unlock_shown = UnlockDialog.showEvent

    def unlock_show_event(self: UnlockDialog, event: Any) -> None:
        unlock_shown(self, event)
        self.passphrase.setText(os.environ["OUTREACH_BENCH_PASSPHRASE"])
        box = self.findChild(QDialogButtonBox)
        assert box is not None
        QTimer.singleShot(0, box.button(QDialogButtonBox.StandardButton.Ok).click)

    def fill_and_sign_in(self: Any, people: Any, current: Any, fill: Any) -> None:
        """The PIN typed as soon as the names are shown (twice on data made before the
        generator set one: the first coordinator then chooses it here)."""
        fill(self, people, current)
        pin = os.environ["OUTREACH_BENCH_PIN"]
        self.pin.setText(pin)
        if self.setting_pin:
            self.again.setText(pin)
        QTimer.singleShot(0, self.button.click)

    MainWindow.showEvent = show_event  # type: ignore[method-assign]
    MainWindow.attach_store = attach_store_watched  # type: ignore[method-assign]
    page_registry.build_page = build_page_watched  # type: ignore[assignment]
    UnlockDialog.showEvent = unlock_show_event  # type: ignore[method-assign, assignment]
    code = main(["--data-dir", data_dir])
    print(f"exited {code} before ready", file=sys.stderr)
    finish(1)


if __name__ == "__main__":
    mark("started", STARTED)
    if sys.argv[1] == "bare":
        bare()
    else:
        app(sys.argv[2], "--memory" in sys.argv)
