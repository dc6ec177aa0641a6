"""Argument types: a value out of format or range is the parser's refusal (exit 2)."""

from __future__ import annotations

import argparse
import re
from datetime import date

from outreach_app.domain.clock import Period


def month(text: str) -> Period:
    match = re.fullmatch(r"(\d{4})-(\d{2})", text)
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise argparse.ArgumentTypeError(f"{text!r} is not a month; write it as YYYY-MM")
    return Period.month(int(match.group(1)), int(match.group(2)))


def iso_date(text: str) -> date:
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date; write it as YYYY-MM-DD"
        ) from None


def positive_int(text: str) -> int:
    if not re.fullmatch(r"\d+", text.strip()) or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of 1 or more")
    return int(text)


def count(text: str) -> int:
    if not re.fullmatch(r"\d+", text.strip()):
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of 0 or more")
    return int(text)


def suppress_threshold(text: str) -> int:
    if not re.fullmatch(r"\d+", text.strip()) or int(text) < 2:
        raise argparse.ArgumentTypeError("--suppress takes a whole number of 2 or more")
    return int(text)


def code_quantity(text: str) -> tuple[str, int]:
    code, sep, qty = text.partition("=")
    if not sep or not code.strip():
        raise argparse.ArgumentTypeError(f"{text!r} should be CODE=QUANTITY, e.g. SYRINGE=40")
    if not re.fullmatch(r"\d+", qty.strip()):
        raise argparse.ArgumentTypeError(
            f"{text!r}: the quantity must be a whole number of 0 or more"
        )
    return code.strip(), int(qty)
