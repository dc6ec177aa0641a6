"""The note warning: phone numbers, e-mails, dates of birth and names; not ordinary notes."""

from __future__ import annotations

import pytest

from outreach_app.domain.identifying import identifying_hints, looks_identifying


@pytest.mark.parametrize(
    "note",
    [
        "call 416-555-0199",
        "(416) 555 0199",
        "cell 416.555.0199 after 5",
        "+1 416 555 0199",
        "reach at someone@example.org",
        "dob 1984-03-12",
        "born 12/03/1984",
        "John Smith came by",
        "met Marie-Ève Tremblay at the van",
        "friend of Ahmed O'Neil",
    ],
)
def test_identifying_notes_warn(note: str) -> None:
    assert looks_identifying(note), note


@pytest.mark.parametrize(
    "note",
    [
        "",
        "Gave 2 kits",
        "Asked about OAT",
        "Wound on left arm",
        "Referred to Wound Care",
        "New to the Drop In",
        "took 10 syringes and 2 naloxone",
        "Needs Housing",
        "returned 25 in sharps",
        "HIV test next week",
        "Safer Smoking kit, feeling better",
    ],
)
def test_harmless_notes_do_not_warn(note: str) -> None:
    assert not looks_identifying(note), identifying_hints(note)


def test_hints_say_what_was_found() -> None:
    hints = identifying_hints("John Smith, 416-555-0199")
    assert "a phone number" in hints
    assert "what looks like a person's name" in hints
