"""Does a short note look like it holds identifying data? A warning, never a block.

Notes are free text typed in a hurry; the rule only has to catch the common slips (a phone
number, an e-mail, a date of birth, a first and last name) without nagging about ordinary
notes such as "Gave 2 kits" or "Wound on left arm".
"""

from __future__ import annotations

import re

from outreach_app.i18n import N_

_PHONE = re.compile(r"(?<!\d)(?:\+?1[\s.-]?)?(?:\(\d{3}\)|\d{3})[\s.-]?\d{3}[\s.-]?\d{4}(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_DATE = re.compile(
    r"(?<!\d)(?:(?:19|20)\d\d[-/.](?:0?[1-9]|1[0-2])[-/.](?:0?[1-9]|[12]\d|3[01])"
    r"|(?:0?[1-9]|[12]\d|3[01])[-/.](?:0?[1-9]|[12]\d|3[01])[-/.](?:19|20)?\d\d)(?!\d)"
)
_UPPER = "A-ZÀ-ÖØ-Þ"
_LOWER = "a-zß-öø-ÿ"
_NAME_PART = rf"[{_UPPER}](?:'[{_UPPER}])?[{_LOWER}]+(?:[-'][{_UPPER}][{_LOWER}]+)?"
_NAME = re.compile(rf"(?<![\w-])({_NAME_PART})\s+({_NAME_PART})(?![\w-])")

# Capitalised pairs that are ordinary words in outreach notes, not names.
_COMMON_WORDS = """
    asked gave given left right wound came new first used needs wants says said referred
    returned dropped picked will back next last this that the a an no not has had with for
    from and or at on in to of about after before oat hep hiv sti er ems narcan naloxone kit
    kits safer sharps test testing fentanyl housing shelter street van monday tuesday
    wednesday thursday friday saturday sunday today tomorrow yesterday morning evening night
    drop out mental health medical care treatment clinic hospital pharmacy please follow up
    call seen very feeling doing looks looked
"""
_NOT_NAMES = frozenset(_COMMON_WORDS.split())

_REASONS = (
    (_EMAIL, N_("an e-mail address")),
    (_PHONE, N_("a phone number")),
    (_DATE, N_("a date (a date of birth identifies someone)")),
)


def identifying_hints(note: str) -> list[str]:
    """What in `note` looks identifying, in plain English words (message ids, translated
    where shown); empty when nothing does."""
    hints = [label for pattern, label in _REASONS if pattern.search(note)]
    for match in _NAME.finditer(note):
        first, last = match.group(1), match.group(2)
        if first.lower() not in _NOT_NAMES and last.lower() not in _NOT_NAMES:
            hints.append(N_("what looks like a person's name"))
            break
    return hints


def looks_identifying(note: str) -> bool:
    return bool(identifying_hints(note))
