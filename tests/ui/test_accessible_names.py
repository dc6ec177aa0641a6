"""Every focusable control a walk of the app reaches (`ui_walk`: every page, menu and dialog)
has a name a screen reader can say: its own accessible name, a label whose buddy it is, or
(buttons) its visible text. A control announced only as "edit" or "table" cannot be used."""

from __future__ import annotations

import pytest

from tests.ui.walked import walked


@pytest.mark.slow
def test_every_focusable_control_has_an_accessible_name(
    qtbot, app_store, plain_folder, tmp_path, monkeypatch
):
    shown = walked("en", qtbot, app_store, plain_folder, tmp_path, monkeypatch)
    unnamed = sorted(set(shown.unnamed))
    assert not unnamed, f"{len(unnamed)} controls without a name:\n" + "\n".join(unnamed)
