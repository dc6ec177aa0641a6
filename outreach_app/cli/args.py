"""Argument types: a value out of format or range is the parser's refusal (exit 2).

Only the digits 0-9 are read as digits: `\\d` would also take `٣` or a full-width `３`.
"""

from __future__ import annotations

import argparse
import re
from datetime import date, datetime
from urllib.parse import urlsplit

from outreach_app.domain.clock import FIRST_DAY, LAST_DAY, Period
from outreach_app.domain.limits import MAX_QUANTITY, too_large, whole_number
from outreach_app.domain.suppression import DEFAULT_THRESHOLD
from outreach_app.i18n import _

_WHOLE = re.compile(r"[0-9]+")
# Schemes of a PostgreSQL address; the driver installed with the app is psycopg (version 3).
_POSTGRES_SCHEMES = {"postgresql", "postgres", "postgresql+psycopg"}


def _digits_hint(text: str) -> str:
    """Said when a value has digits other than 0-9 (a keyboard set to another script)."""
    if any(ch.isdigit() and ch not in "0123456789" for ch in text):
        return " " + _("(type it with the digits 0-9)")
    return ""


def _bounded(text: str) -> int:
    if too_large(text):
        shown = (
            repr(text)
            if len(text) <= 40
            else _("{start}… ({count:,} digits)", start=repr(text[:40]), count=len(text))
        )
        raise argparse.ArgumentTypeError(
            _(
                "{value} is more than {limit:,}; check the number (split a larger one)",
                value=shown,
                limit=MAX_QUANTITY,
            )
        )
    return whole_number(text)


def _in_range(day: date, text: str) -> None:
    if not FIRST_DAY <= day <= LAST_DAY:
        raise argparse.ArgumentTypeError(
            _(
                "{value!r} is out of range; dates are accepted from {first} to {last}",
                value=text,
                first=FIRST_DAY.isoformat(),
                last=LAST_DAY.isoformat(),
            )
        )


def month(text: str) -> Period:
    match = re.fullmatch(r"([0-9]{4})-([0-9]{2})", text)
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise argparse.ArgumentTypeError(
            _("{value!r} is not a month; write it as YYYY-MM", value=text) + _digits_hint(text)
        )
    period = Period.month(int(match.group(1)), int(match.group(2)))
    if not FIRST_DAY <= period.start <= LAST_DAY:
        raise argparse.ArgumentTypeError(
            _(
                "{value!r} is out of range; months are accepted from {first} to {last}",
                value=text,
                first=f"{FIRST_DAY:%Y-%m}",
                last=f"{LAST_DAY:%Y-%m}",
            )
        )
    return period


def iso_date(text: str) -> date:
    try:
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
            raise ValueError
        day = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("{value!r} is not a date; write it as YYYY-MM-DD", value=text) + _digits_hint(text)
        ) from None
    _in_range(day, text)
    return day


def local_moment(text: str) -> datetime:
    """YYYY-MM-DDTHH:MM[:SS], a wall-clock time in the organisation's zone (naive here)."""
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2})?", text):
        raise argparse.ArgumentTypeError(
            _("{value!r} is not a moment; write it as YYYY-MM-DDTHH:MM (local time)", value=text)
            + _digits_hint(text)
        )
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("{value!r} is not a real date and time", value=text)
        ) from None
    _in_range(moment.date(), text)
    return moment


def code_lot_count(text: str) -> tuple[str, str | None, int]:
    """CODE=N or CODE:LOT=N, as on a paper count sheet."""
    key, sep, qty = text.partition("=")
    code, _colon, lot = key.partition(":")
    if not sep or not code.strip():
        raise argparse.ArgumentTypeError(
            _("{value!r} should be CODE=N or CODE:LOT=N, e.g. SWAB=180", value=text)
        )
    if not _WHOLE.fullmatch(qty.strip()):
        raise argparse.ArgumentTypeError(
            _("{value!r}: the count must be a whole number of 0 or more", value=text)
            + _digits_hint(qty)
        )
    return code.strip(), lot.strip() or None, _bounded(qty)


def positive_int(text: str) -> int:
    if not _WHOLE.fullmatch(text.strip()) or not text.strip("0 "):
        raise argparse.ArgumentTypeError(
            _("{value!r} is not a whole number of 1 or more", value=text) + _digits_hint(text)
        )
    return _bounded(text)


def count(text: str) -> int:
    if not _WHOLE.fullmatch(text.strip()):
        raise argparse.ArgumentTypeError(
            _("{value!r} is not a whole number of 0 or more", value=text) + _digits_hint(text)
        )
    return _bounded(text)


def suppress_threshold(text: str) -> int:
    if not _WHOLE.fullmatch(text.strip()) or too_large(text) or whole_number(text) < 2:
        raise argparse.ArgumentTypeError(_("--suppress takes a whole number of 2 or more"))
    return whole_number(text)


def code_quantity(text: str) -> tuple[str, int]:
    code, sep, qty = text.partition("=")
    if not sep or not code.strip():
        raise argparse.ArgumentTypeError(
            _("{value!r} should be CODE=QUANTITY, e.g. SYRINGE=40", value=text)
        )
    if not _WHOLE.fullmatch(qty.strip()):
        raise argparse.ArgumentTypeError(
            _("{value!r}: the quantity must be a whole number of 0 or more", value=text)
            + _digits_hint(qty)
        )
    return code.strip(), _bounded(qty)


def db_url(text: str) -> str:
    """A PostgreSQL address, e.g. postgresql://user@host:5432/dbname (psycopg's driver).

    The value is never repeated in a message: it may hold a password.
    """
    example = "postgresql://USER@HOST:5432/DBNAME"
    parts = urlsplit(text.strip())
    if not parts.scheme or "://" not in text:
        raise argparse.ArgumentTypeError(
            _("this is not a database address; write it as {example}", example=example)
        )
    if parts.scheme.lower() not in _POSTGRES_SCHEMES:
        raise argparse.ArgumentTypeError(
            _(
                "{scheme}:// is not supported: only PostgreSQL is. Write it as {example}, or "
                "leave out --db-url to use the data folder's own file",
                scheme=parts.scheme,
                example=example,
            )
        )
    try:
        parts.port  # noqa: B018 - reading it checks that the port is a number
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("the port is not a number from 1 to 65535; write it as {example}", example=example)
        ) from None
    if not parts.netloc and not parts.path.strip("/"):
        raise argparse.ArgumentTypeError(
            _("it names no server and no database; write it as {example}", example=example)
        )
    return "postgresql+psycopg" + text.strip()[len(parts.scheme) :]


def suppression_threshold(args: argparse.Namespace) -> int | None:
    """The threshold the options ask for; None: nothing suppressed."""
    if args.no_suppress:
        return None
    return DEFAULT_THRESHOLD if args.suppress is None else int(args.suppress)


def add_suppression_options(p: argparse.ArgumentParser) -> None:
    """`--suppress N` or `--no-suppress` (contracts §8), one or the other."""
    hide = p.add_mutually_exclusive_group()
    hide.add_argument(
        "--suppress",
        type=suppress_threshold,
        # Not DEFAULT_THRESHOLD itself: argparse treats a value that *is* the default as not
        # given, so `--suppress 5 --no-suppress` slipped past the exclusive group.
        default=None,
        metavar="N",
        help=_("show counts of people from 1 to N-1 as <N (default 5)"),
    )
    hide.add_argument(
        "--no-suppress",
        action="store_true",
        help=_("print every count; each page is stamped INTERNAL"),
    )
