"""Keys in texts: a Qt mnemonic ("&Save" is Alt+S) read out of a text in whatever language it is
shown, and a shortcut written the way Qt shows it in that language.

Translations choose their own mnemonic letters, and no two may collide in one window in any
language (`tests/ui/test_mnemonics.py` reads them all with this).
"""

from __future__ import annotations

import re

from PySide6.QtGui import QKeySequence

_MNEMONIC = re.compile(r"&(&|.)")


def mnemonic(text: str) -> str | None:
    """The letter a single & underlines, upper-cased ("Clea&r" → "R"); None without one
    ("&&" is a literal ampersand)."""
    for match in _MNEMONIC.finditer(text):
        if match.group(1) != "&":
            return match.group(1).upper()
    return None


def shortcut_text(keys: str) -> str:
    """A shortcut as Qt shows it in the language of the moment ("Ctrl+Maj+P" in French)."""
    return QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)
