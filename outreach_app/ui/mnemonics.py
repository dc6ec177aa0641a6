"""Reading a Qt mnemonic ("&Save" is Alt+S) out of a text, in whatever language it is shown.

Translations choose their own mnemonic letters, and no two may collide in one window in any
language (`tests/ui/test_mnemonics.py` reads them all with this).
"""

from __future__ import annotations

import re

_MNEMONIC = re.compile(r"&(&|.)")


def mnemonic(text: str) -> str | None:
    """The letter a single & underlines, upper-cased ("Clea&r" → "R"); None without one
    ("&&" is a literal ampersand)."""
    for match in _MNEMONIC.finditer(text):
        if match.group(1) != "&":
            return match.group(1).upper()
    return None
