"""Street addresses join names, phone numbers, e-mails and dates as identifying text."""

from __future__ import annotations

import pytest

from outreach_app.domain.text_warnings import ADDRESS_HINT, text_hints


@pytest.mark.parametrize(
    "text",
    ["lives at 123 Main Street", "45 rue Saint-Denis", "Calle Mayor 12", "apt 4B", "H2X 1Y4"],
)
def test_addresses_are_noticed(text: str) -> None:
    assert ADDRESS_HINT in text_hints(text)


@pytest.mark.parametrize(
    "text", ["Gave 2 kits", "Wound on left arm", "10 st", "returned 12 syringes", "room 12", ""]
)
def test_ordinary_notes_are_not(text: str) -> None:
    assert text_hints(text) == []
