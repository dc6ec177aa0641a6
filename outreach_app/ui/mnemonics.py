"""Reading a Qt mnemonic ("&Save" is Alt+S) out of a text, in whatever language it is shown.

Translations choose their own mnemonic letters (a window's letters must not collide in any
language), so a tooltip that names the key asks here instead of spelling "Alt+S" out.
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


def alt_key(text: str) -> str:
    """ "Alt+S" for "&Site:"; "" when the text has no mnemonic."""
    letter = mnemonic(text)
    return f"Alt+{letter}" if letter else ""
