"""PySide6's per-module feature question, answered from the file's bytes
(ui/pyside_feature_scan.py): the same answers as PySide6's own reading of the source."""

from __future__ import annotations

import inspect
import sys
from types import ModuleType

import outreach_app.domain.values

import outreach_app.ui.theme  # importing the ui package puts the scan in place


def pyside_answer(module: ModuleType) -> bool:
    return bool(sys.modules["shibokensupport.feature"]._mod_uses_pyside(module))


def test_the_scan_is_in_place_and_answers_as_the_source_reads() -> None:
    for module in (outreach_app.ui.theme, outreach_app.domain.values, inspect):
        assert pyside_answer(module) == ("PySide6" in inspect.getsource(module)), module
    assert pyside_answer(outreach_app.ui.theme) is True
    assert pyside_answer(outreach_app.domain.values) is False


def test_modules_without_a_source_file_keep_pysides_answer() -> None:
    assert pyside_answer(sys) is False  # built in
    made = ModuleType("made_in_memory")
    assert pyside_answer(made) is False
