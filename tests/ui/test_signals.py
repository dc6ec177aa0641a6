"""`ui.signals.emit` keeps the interpreter alive on a PySide6 whose emit drops a reference."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal

from outreach_app.ui.signals import emit


class _Source(QObject):
    changed = Signal(bool)


def test_emitting_many_times_keeps_the_reference_count_of_true(qapp):
    source = _Source()
    seen: list[bool] = []
    source.changed.connect(seen.append)
    before = sys.getrefcount(True)
    for _ in range(5000):
        emit(source.changed, True)
    del seen[:]
    assert sys.getrefcount(True) >= before
