"""One walk per language per test process (`ui_walk.Walk`), shared by the translation and the
mnemonic tests: a walk is plain data, and each takes a few seconds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.ui.ui_walk import Shown, Walk

_WALKS: dict[str, Shown] = {}


def walked(language: str, qtbot: Any, store: Any, folder: Path, tmp_path: Path, mp: Any) -> Shown:
    if language not in _WALKS:
        _WALKS[language] = Walk(qtbot, store, folder, tmp_path, mp).run(language)
    return _WALKS[language]
