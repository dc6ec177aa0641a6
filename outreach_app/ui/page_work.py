"""Before the store closes (closing the window, quitting, Lock and close), the work that pages
run on threads of their own (a hub sync) must end: the store would otherwise close under it.

`PagesWork.stop(then)` asks every page built so far to stop (`Page.stop_work`) and calls `then`
once each has said its work ended (`Page.work_ended`), at once when none runs. Several callers
may wait at the same time (Lock and close, then closing the window): each `then` runs once, in
the order asked. A page whose work never says it ended would keep the window waiting, so after
`limit_ms` the callers are let go anyway (logged): each batch of a sync is one transaction on
both sides, so a batch the process leaves behind is rolled back whole, never half-written.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from functools import partial

from PySide6.QtCore import QObject, QTimer

from outreach_app.ui.widgets.page import Page

log = logging.getLogger(__name__)

#: How long closing waits for a page's thread (a sync's batch on a slow link takes seconds; a
#: hub gone silent mid-batch could hold it for many minutes).
WAIT_LIMIT_MS = 60_000


class PagesWork(QObject):
    def __init__(
        self,
        pages: Callable[[], Iterable[object]],
        parent: QObject | None = None,
        *,
        limit_ms: int | None = None,
    ) -> None:
        super().__init__(parent)
        self._pages = pages  # the pages built so far (one not built runs nothing)
        self._running: dict[Page, Callable[[], None]] = {}  # each with its slot
        self._waiting: list[Callable[[], None]] = []
        self._limit = QTimer(self, singleShot=True, interval=limit_ms or WAIT_LIMIT_MS)
        self._limit.timeout.connect(self._give_up)

    @property
    def waiting(self) -> bool:
        return bool(self._waiting)

    def stop(self, then: Callable[[], None]) -> bool:
        """Stops the pages' own work; `then()` once it has all ended. True when `then` waits
        (it runs later, from the event loop); False when nothing ran and `then` already ran."""
        for page in self._pages():
            if isinstance(page, Page) and page not in self._running and page.stop_work():
                slot = self._running[page] = partial(self._on_ended, page)
                page.work_ended.connect(slot)
        if not self._running:
            then()
            return False
        self._waiting.append(then)
        if not self._limit.isActive():
            self._limit.start()
        return True

    def _on_ended(self, page: Page) -> None:
        slot = self._running.pop(page, None)
        if slot is not None:
            page.work_ended.disconnect(slot)
        if not self._running:
            self._release()

    def _give_up(self) -> None:
        if self._running:
            log.warning(
                "closing without waiting any longer for %s",
                ", ".join(type(p).__name__ for p in self._running),
            )
        for page, slot in self._running.items():
            page.work_ended.disconnect(slot)
        self._running.clear()
        self._release()

    def _release(self) -> None:
        self._limit.stop()
        waiting, self._waiting = self._waiting, []
        for then in waiting:
            then()
