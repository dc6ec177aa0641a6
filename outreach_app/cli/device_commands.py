"""`device`, `devices`, `devices revoke`, `invite` and `init --join` (contracts §9).

The join code is read from `OUTREACH_JOIN_CODE` or typed at a prompt that does not echo, never
from the command line (where the process list would show it), and is never logged. Services
are imported inside the handlers: building the parser must not import SQLAlchemy.
"""

from __future__ import annotations

import argparse
import csv
import getpass
import io
import os
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from outreach_app.cli.opening import opened_store, reading
from outreach_app.cli.passphrase import new_passphrase
from outreach_app.cli.pins import new_pin
from outreach_app.domain.errors import InvalidInput
from outreach_app.i18n import _, _l

JOIN_CODE_VAR = "OUTREACH_JOIN_CODE"
DEVICES_HEADER = [
    "device_id",
    "name",
    "fingerprint",
    "joined_at",
    "last_record_at",
    "last_sync_at",
    "revoked_at",
]
#: `init --join` takes the organisation from the invitation: these belong to `init --org` only.
ORG_ONLY_OPTIONS = ("org", "site", "site_kind", "timezone", "codes", "coordinator")


def add_device_parsers(sub: Any) -> None:
    sub.add_parser("device", help=_("this device's name, id, fingerprint and organisation"))

    p = sub.add_parser("devices", help=_("the organisation's devices; revoke one"))
    p.add_argument("--csv", action="store_true")
    actions = p.add_subparsers(dest="devices_command", metavar="ACTION")
    revoke = actions.add_parser(
        "revoke", help=_("refuse that device's bundles from now on (coordinators)")
    )
    revoke.add_argument("fingerprint", metavar="FINGERPRINT")

    p = sub.add_parser(
        "invite", help=_("an invitation file for one new device; its join code on stderr")
    )
    p.add_argument("--out", required=True, type=Path, metavar="FILE")


def join_code() -> str:
    value = os.environ.get(JOIN_CODE_VAR)
    if value:
        return value
    if sys.stdin is not None and sys.stdin.isatty():
        return getpass.getpass(_("Join code (shown on the inviting device): "))
    raise InvalidInput(
        _l(
            "Joining needs the invitation's join code: set {variable} or run the command in a "
            "terminal to type it. Nothing was created.",
            variable=JOIN_CODE_VAR,
        )
    )


def _utc(moment: datetime | None) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if moment else ""


def usage_error(message: str) -> int:
    """A combination of options the parser cannot express refused like a parser refusal."""
    print(_("outreach init: error: {message}", message=message), file=sys.stderr)
    return 2


def cmd_join(args: argparse.Namespace) -> int:
    from outreach_app.sync.joining import join, read_invitation

    given = [f"--{name.replace('_', '-')}" for name in ORG_ONLY_OPTIONS if getattr(args, name)]
    if given:
        return usage_error(
            _(
                "--join takes the organisation from the invitation; leave out {options}",
                options=", ".join(given),
            )
        )
    opened = read_invitation(args.join, join_code())
    passphrase = None
    if not args.db_url and not args.no_encryption:
        passphrase = new_passphrase()
    pin = new_pin(opened.coordinator, optional=True) if opened.coordinator else None
    result = join(
        args.data_dir,
        opened,
        device_name=args.device or "",
        passphrase=passphrase,
        coordinator_pin=pin,
        db_url=args.db_url,
    )
    values = {
        "org": result.org_name,
        "device": result.device_name,
        "fingerprint": result.fingerprint,
        "path": args.data_dir,
    }
    if result.is_hub:
        message = _(
            "The PostgreSQL database is now the hub of {org} ({device}, fingerprint "
            "{fingerprint}). It keeps no organisation secret: devices sync with it, and "
            "reports can run on it.",
            **values,
        )
    elif passphrase:
        message = _(
            "Joined {org} as {device} (fingerprint {fingerprint}); data folder {path} (encrypted).",
            **values,
        )
    else:
        message = _(
            "Joined {org} as {device} (fingerprint {fingerprint}); data folder {path} (not "
            "encrypted).",
            **values,
        )
    print(message, file=sys.stderr)
    if result.coordinator and not result.coordinator_has_pin and not result.is_hub:
        print(
            _(
                "{name} is the first coordinator on this device, without a PIN here yet: set "
                "it when the app first opens (or set OUTREACH_NEW_PIN next time).",
                name=result.coordinator,
            ),
            file=sys.stderr,
        )
    return 0


def cmd_device(args: argparse.Namespace) -> int:
    from outreach_app.services import devices

    with reading(args) as uow:
        me = devices.this_device(uow)
    print(_("Device: {name}", name=me.name))
    print(_("Id: {id}", id=me.id))
    print(_("Fingerprint: {fingerprint}", fingerprint=me.fingerprint or "-"))
    print(_("Organisation: {name} ({id})", name=me.org_name, id=me.org_id))
    if me.is_hub:
        print(_("This is the organisation's hub."))
    return 0


def cmd_devices(args: argparse.Namespace) -> int:
    from outreach_app.services import devices

    if args.devices_command == "revoke":
        with opened_store(args) as store:
            revoked = store.write(lambda uow: devices.revoke(uow, args.fingerprint))
        print(
            _(
                "Revoked {name} ({fingerprint}): this device refuses its bundles from now on, "
                "and so does every device this reaches.",
                name=revoked.name,
                fingerprint=revoked.fingerprint,
            )
        )
        print(
            _(
                "On a hub, trust rests on PostgreSQL logins: also remove {name}'s login on the "
                "hub's server, or it can still sync there.",
                name=revoked.name,
            ),
            file=sys.stderr,
        )
        return 0
    with reading(args) as uow:
        rows = devices.list_devices(uow)
    if args.csv:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(DEVICES_HEADER)
        for d in rows:
            writer.writerow(
                [
                    str(d.id),
                    d.name,
                    d.fingerprint,
                    _utc(d.joined_at),
                    _utc(d.last_record_at),
                    _utc(d.last_sync_at),
                    _utc(d.revoked_at),
                ]
            )
        sys.stdout.buffer.write(buffer.getvalue().encode("utf-8"))
        sys.stdout.flush()
        return 0
    for d in rows:
        line = f"{d.fingerprint or '-':19}  {d.name}"
        if d.this_device:
            line += "  " + _("(this device)")
        if d.revoked_at:
            line += "  " + _("(revoked {when})", when=_utc(d.revoked_at))
        print(line)
    return 0


def cmd_invite(args: argparse.Namespace) -> int:
    from outreach_app.sync.joining import make_invitation

    with opened_store(args) as store:
        made = make_invitation(store, args.out)
    print(
        _(
            "Invitation for one new device written to {path}. Give the new device the file and, "
            "separately (in person or by phone), the join code below; it is shown only now.",
            path=made.path,
        ),
        file=sys.stderr,
    )
    # Contracts §9: the join code is the last line on stderr, in these words in every language
    # (scripts read it).
    print(f"Join code: {made.join_code}", file=sys.stderr)
    return 0


DEVICE_HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "device": cmd_device,
    "devices": cmd_devices,
    "invite": cmd_invite,
}
