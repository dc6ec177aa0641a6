"""Emitting a signal from Python keeps every reference to `True`.

PySide6-Essentials 6.12.0 on Python 3.11 drops one reference to `True` per Python-side emit, and
a long session then aborts ("bool_dealloc"). pyproject.toml keeps that release out; this test
fails on it (or on any later release with the same bug) before a user's session does.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal

# Few enough that a buggy release fails the assertion instead of aborting the interpreter.
EMITS = 100


class _Source(QObject):
    plain = Signal()
    flag = Signal(bool)


def test_emits_from_python_do_not_drop_references_to_true(qapp):
    source = _Source()
    seen: list[object] = []
    source.plain.connect(lambda: seen.append(None))
    source.flag.connect(seen.append)
    before = sys.getrefcount(True)
    for _ in range(EMITS):
        source.plain.emit()
        source.flag.emit(True)
    after = sys.getrefcount(True)
    seen.clear()
    assert after >= before
