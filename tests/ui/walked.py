"""One walk per language per test process (`ui_walk.Walk`), shared by the translation and the
mnemonic tests: a walk is plain data, and each takes a few seconds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.ui.conftest import PIN
from tests.ui.ui_walk import Shown, Walk

_WALKS: dict[str, Shown] = {}


def walked(language: str, qtbot: Any, store: Any, folder: Path, tmp_path: Path, mp: Any) -> Shown:
    if language not in _WALKS:
        _pin_set(store)  # every walk signs in alike (the first-PIN screen is walked on its own)
        _WALKS[language] = Walk(qtbot, store, folder, tmp_path, mp).run(language)
    return _WALKS[language]


def _pin_set(store: Any) -> None:
    from outreach_app.services import auth, staff

    with store.unit_of_work() as uow:
        first = staff.first_coordinator_id(uow.session)
        if not staff.has_pin(uow, first):
            auth.set_coordinator_pin(uow, PIN)
