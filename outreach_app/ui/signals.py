"""`emit(signal, *args)`: emit a Python-defined signal without PySide6 6.12's reference bug.

On PySide6 6.12.0 with Python 3.11, `SignalInstance.emit()` returns `True` without taking a
reference to it, so every emit from Python drops one reference to `True`; after a few thousand
emits the interpreter aborts ("bool_dealloc: deallocating True or False"). Python 3.12+ makes
`True` immortal, which hides it. We measure once whether this PySide6 has the bug and, if so,
give back the reference after each emit. Signals emitted by Qt's C++ code are not affected.
"""

from __future__ import annotations

import ctypes
import sys
from typing import Any

from PySide6.QtCore import QObject, Signal

_incref = ctypes.pythonapi.Py_IncRef
_incref.argtypes = [ctypes.py_object]
_incref.restype = None


class _Probe(QObject):
    fired = Signal()


def _emit_drops_a_reference() -> bool:
    probe = _Probe()
    before = sys.getrefcount(True)
    result = probe.fired.emit()
    del result
    dropped = sys.getrefcount(True) < before
    if dropped:
        _incref(True)  # give back the one the probe took
    return dropped


EMIT_DROPS_A_REFERENCE = _emit_drops_a_reference()


def emit(signal: Any, *args: Any) -> None:
    result = signal.emit(*args)
    if EMIT_DROPS_A_REFERENCE and isinstance(result, bool):
        _incref(result)
