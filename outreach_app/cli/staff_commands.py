"""`staff`, `audit` and `cards` (contracts §10)."""

from __future__ import annotations

import argparse
import csv
import io
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from outreach_app.cli import args as types
from outreach_app.cli.opening import reading, write
from outreach_app.cli.pins import new_pin
from outreach_app.domain.clock import FIRST_DAY, Period
from outreach_app.i18n import _, ngettext

STAFF_HEADER = ["staff_id", "name", "role", "active", "created_at"]
AUDIT_HEADER = ["at", "device", "staff", "action", "summary", "records", "entry_hash"]


def add_staff_parsers(sub: Any) -> None:
    p = sub.add_parser("staff", help=_("the staff list; add or deactivate a person"))
    p.add_argument("--csv", action="store_true")
    actions = p.add_subparsers(dest="staff_command", metavar="ACTION")
    add = actions.add_parser("add", help=_("add a person (PIN from OUTREACH_NEW_PIN or a prompt)"))
    add.add_argument("name", metavar="NAME")
    add.add_argument("--role", required=True, choices=["worker", "coordinator"])
    off = actions.add_parser("deactivate", help=_("a person who no longer works here"))
    off.add_argument("name", metavar="NAME")

    p = sub.add_parser("audit", help=_("who did what, oldest first (coordinators)"))
    p.add_argument("--from", dest="start", type=types.iso_date, metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="end", type=types.iso_date, metavar="YYYY-MM-DD")
    p.add_argument("--csv", action="store_true")

    p = sub.add_parser("cards", help=_("wallet cards with new participant codes (random scheme)"))
    p.add_argument("--count", required=True, type=types.positive_int)
    p.add_argument("--out", required=True, type=Path)
    p.add_argument("--paper", default="letter", choices=["letter", "a4"])


def _csv(header: list[str], rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    sys.stdout.buffer.write(buffer.getvalue().encode("utf-8"))
    sys.stdout.flush()


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def cmd_staff(args: argparse.Namespace) -> int:
    from outreach_app.services import staff

    if args.staff_command == "add":
        pin = new_pin(args.name)
        person = write(args, lambda uow: staff.add_staff(uow, args.name, args.role, pin))
        if person.role == "coordinator":
            print(_("Added {name} as a coordinator, with a PIN on this device.", name=person.name))
        else:
            print(_("Added {name} as a worker, with a PIN on this device.", name=person.name))
        return 0
    if args.staff_command == "deactivate":
        person = write(args, lambda uow: staff.deactivate_staff(uow, args.name))
        print(_("{name} is deactivated; their records keep their name.", name=person.name))
        return 0
    with reading(args) as uow:
        people = staff.list_staff(uow)
    rows = [
        [str(p.id), p.name, p.role, "yes" if p.active else "no", _utc(p.created_at)] for p in people
    ]
    if args.csv:
        _csv(STAFF_HEADER, rows)
    else:
        for p in people:
            print(_staff_line(p.name, p.role, p.active, p.has_pin))
    return 0


def _staff_line(name: str, role: str, active: bool, has_pin: bool) -> str:
    """One person of the list; the role in words, each variant a whole line."""
    coordinator = role == "coordinator"
    if active and has_pin:
        if coordinator:
            return _("{name}: coordinator", name=name)
        return _("{name}: worker", name=name)
    if active:
        if coordinator:
            return _("{name}: coordinator (no PIN on this device)", name=name)
        return _("{name}: worker (no PIN on this device)", name=name)
    if has_pin:
        if coordinator:
            return _("{name}: coordinator (deactivated)", name=name)
        return _("{name}: worker (deactivated)", name=name)
    if coordinator:
        return _("{name}: coordinator (deactivated) (no PIN on this device)", name=name)
    return _("{name}: worker (deactivated) (no PIN on this device)", name=name)


def cmd_audit(args: argparse.Namespace) -> int:
    from outreach_app.services import audit

    with reading(args) as uow:
        start = args.start or FIRST_DAY
        end = args.end or uow.today()
        if end < start:
            print(
                _(
                    "outreach audit: error: {message}",
                    message=_("--to is before --from"),
                ),
                file=sys.stderr,
            )
            return 2
        rows = audit.entries(uow, Period(start, end))
    table = [
        [_utc(r.at), r.device, r.staff, r.action, r.summary, r.records, r.entry_hash] for r in rows
    ]
    if args.csv:
        _csv(AUDIT_HEADER, table)
    else:
        for r in rows:
            who = r.staff or _("(setup)")
            print(f"{_utc(r.at)}  {who}  {r.action}  {r.summary}")
    return 0


def cmd_cards(args: argparse.Namespace) -> int:
    from outreach_app.cli.report_commands import write_outputs
    from outreach_app.reports.cards_pdf import cards_pdf
    from outreach_app.services import codes

    with reading(args) as uow:
        new = codes.new_codes(uow, args.count)
    write_outputs([(args.out, cards_pdf(new, paper=args.paper))])
    print(
        ngettext(
            "{n} card written to {path}.",
            "{n} cards written to {path}.",
            len(new),
            path=args.out,
        )
    )
    return 0


STAFF_HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "staff": cmd_staff,
    "audit": cmd_audit,
    "cards": cmd_cards,
}
