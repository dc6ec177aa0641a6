"""`sync [--hub URL]` (contracts §9): this device and the organisation's hub.

The hub's password never comes from the command line, where every user of the computer can read
it in the process list: `--hub` with a password in it is refused (exit 2). libpq reads
`PGPASSWORD` and `~/.pgpass` itself; failing those, a terminal is asked once. The address is
remembered (without its password), so the next `outreach sync` needs no `--hub`.

Counts go to stdout, one line per kind (the tables' names, as `bundle import` prints them);
messages and reminders go to stderr. Services are imported in the handler: building the parser
must not import SQLAlchemy.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from outreach_app.cli import args as types
from outreach_app.cli.opening import opened_store
from outreach_app.cli.progress import terminal_progress
from outreach_app.domain.errors import InvalidInput
from outreach_app.i18n import _, _l, ngettext

if TYPE_CHECKING:
    from outreach_app.sync.hub import SyncSummary


def hub_url(text: str) -> str:
    """A PostgreSQL address without a password (refused with one: exit 2)."""
    value = types.db_url(text)
    parts = urlsplit(value)
    if parts.password is not None or "password" in parse_qs(parts.query):
        raise argparse.ArgumentTypeError(
            _(
                "leave the password out of --hub: every user of this computer can read the "
                "command line. Set PGPASSWORD, put it in ~/.pgpass, or type it when asked"
            )
        )
    return value


def add_sync_parser(sub: Any) -> None:
    p = sub.add_parser(
        "sync", help=_("push what the hub lacks and pull what this device lacks, in batches")
    )
    p.add_argument(
        "--hub",
        type=hub_url,
        metavar="URL",
        help=_(
            "the hub's PostgreSQL address, postgresql://USER@HOST/DATABASE (remembered; the "
            "password from PGPASSWORD, ~/.pgpass or a prompt)"
        ),
    )


def _can_ask() -> bool:
    return (
        not os.environ.get("PGPASSWORD")
        and sys.stdin is not None
        and sys.stdin.isatty()
        and sys.stderr.isatty()
    )


def cmd_sync(args: argparse.Namespace) -> int:
    progress = terminal_progress()
    try:
        summary = _sync(args, progress)
    except KeyboardInterrupt:
        # Not the usual "nothing was written": the batches completed before are kept.
        print(
            _(
                "Stopped. The batches completed are kept and the one under way was not written; "
                "run `outreach sync` again to finish."
            ),
            file=sys.stderr,
        )
        return 1
    finally:
        if progress is not None:
            progress.finish()
    _print_summary(summary)
    return 0


def _sync(
    args: argparse.Namespace, progress: Callable[[str, int, int], None] | None
) -> SyncSummary:
    from outreach_app.sync.hub import remembered_hub_url, sync_with_hub
    from outreach_app.sync.hub_connect import HubLoginRefused

    with opened_store(args) as store:
        url = args.hub or remembered_hub_url(store)
        if url is None:
            raise InvalidInput(
                _l(
                    "This device has not synced with a hub yet: give its address once with "
                    "`outreach sync --hub postgresql://USER@HOST/DATABASE`."
                )
            )
        try:
            return sync_with_hub(store, url, None, progress)
        except HubLoginRefused as exc:
            if exc.had_password or not _can_ask():
                raise
            password = getpass.getpass(_("Password for the hub {hub}: ", hub=exc.hub))
            return sync_with_hub(store, url, password, progress)


def _print_summary(summary: SyncSummary) -> None:
    print(
        _(
            "Synced with {hub}. Records sent: {pushed}; received: {pulled}.",
            hub=summary.hub,
            pushed=summary.total_pushed,
            pulled=summary.total_pulled,
        )
    )
    for row in summary.rows():
        print(
            _(
                "{kind}: {pushed} pushed, {pulled} pulled, {present} already present, "
                "{quarantined} quarantined, {pending} pending",
                kind=row.kind,
                pushed=row.pushed,
                pulled=row.pulled,
                present=row.present,
                quarantined=row.quarantined,
                pending=row.pending,
            )
        )
    held = sum(row.quarantined + row.pending for row in summary.rows())
    if held:
        print(
            ngettext(
                "{n} record is held back (quarantined or pending): `outreach quarantine` lists "
                "those held here; `outreach --db-url URL quarantine` those held on the hub.",
                "{n} records are held back (quarantined or pending): `outreach quarantine` lists "
                "those held here; `outreach --db-url URL quarantine` those held on the hub.",
                held,
            ),
            file=sys.stderr,
        )
    if summary.revoked_here:
        print(
            _(
                "This device is revoked: the hub quarantines what it sends. If that is a "
                "mistake, a coordinator can accept its records from the hub's quarantine; "
                "otherwise remove this device's PostgreSQL login on the hub."
            ),
            file=sys.stderr,
        )
    for name in summary.newly_revoked:
        print(
            _(
                "The hub now knows that {device} is revoked. Also remove its PostgreSQL login "
                "on the hub's server, so it can no longer connect to it.",
                device=name,
            ),
            file=sys.stderr,
        )


SYNC_HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {"sync": cmd_sync}
