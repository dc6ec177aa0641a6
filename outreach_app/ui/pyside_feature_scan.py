"""PySide6 asks of every module imported after it whether its source mentions "PySide6" (so
that `from __feature__ import snake_case` can be switched per module, PYSIDE-2029). It finds
out with `inspect.getsource`, which reads and splits each file through `linecache`: about 80 ms
over the 400-odd modules the app imports before its first save, SQLAlchemy's included, most of
them after the window shows. The same question answered from the file's bytes gives the same
answer in a fraction of that time; modules without a source file keep PySide6's own answer.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import ModuleType

import PySide6.QtCore  # noqa: F401  (loads the feature module this answers for)

_NAME = "_uses_pyside_from_bytes"


def answer_from_bytes() -> None:
    """Puts the cheaper scan in place (once; nothing when PySide6 no longer has the hook)."""
    feature = sys.modules.get("shibokensupport.feature")
    original: Callable[[ModuleType], bool] | None = getattr(feature, "_mod_uses_pyside", None)
    if original is None or getattr(original, "__name__", "") == _NAME:
        return

    def _uses_pyside_from_bytes(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if isinstance(path, str) and path.endswith(".py"):
            try:
                with open(path, "rb") as source:
                    return b"PySide6" in source.read()
            except OSError:
                pass
        return original(module)

    _uses_pyside_from_bytes.__name__ = _NAME
    feature._mod_uses_pyside = _uses_pyside_from_bytes  # type: ignore[union-attr]
