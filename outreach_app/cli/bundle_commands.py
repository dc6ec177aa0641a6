"""`bundle export`, `bundle import` and `quarantine` (contracts §9).

Counts go to stdout, one line per kind of record (kinds are the tables' names, as in
`quarantine --csv`); a refused file is a message on stderr naming it (exit 1, nothing written).
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from collections.abc import Callable
from datetime import UTC
from pathlib import Path
from typing import Any

from outreach_app.cli.opening import opened_store
from outreach_app.i18n import _, ngettext

QUARANTINE_HEADER = ["record_kind", "record_id", "from_device", "created_at", "reason"]


def add_bundle_parsers(sub: Any) -> None:
    p = sub.add_parser("bundle", help=_("records to and from other devices, by file"))
    actions = p.add_subparsers(dest="bundle_command", metavar="ACTION", required=True)
    out = actions.add_parser(
        "export", help=_("write the records not yet written to a bundle (--all: every record)")
    )
    out.add_argument("--out", required=True, type=Path, metavar="FILE")
    out.add_argument("--all", action="store_true", dest="everything")
    into = actions.add_parser(
        "import", help=_("verify every file, then merge them all in one transaction")
    )
    into.add_argument("files", nargs="+", type=Path, metavar="FILE")

    p = sub.add_parser("quarantine", help=_("records received but held: quarantined or pending"))
    p.add_argument("--csv", action="store_true")


def cmd_bundle(args: argparse.Namespace) -> int:
    from outreach_app.sync import bundles

    with opened_store(args) as store:
        if args.bundle_command == "export":
            done = bundles.export_bundle(store, args.out, everything=args.everything)
            print(
                ngettext(
                    "Wrote {path} with {n} record.",
                    "Wrote {path} with {n} records.",
                    done.total,
                    path=done.path,
                )
            )
            for kind, count in done.by_kind:
                print(f"  {kind}: {count}")
            return 0
        counts = bundles.import_bundles(store, args.files)
    for kind, added, present, quarantined, pending in counts.rows():
        print(
            _(
                "{kind}: {added} added, {present} already present, {quarantined} quarantined, "
                "{pending} pending",
                kind=kind,
                added=added,
                present=present,
                quarantined=quarantined,
                pending=pending,
            )
        )
    held = counts.total("quarantined") + counts.total("pending")
    if held:
        print(
            ngettext(
                "{n} record is held back: `outreach quarantine` lists it.",
                "{n} records are held back: `outreach quarantine` lists them.",
                held,
            ),
            file=sys.stderr,
        )
    return 0


def cmd_quarantine(args: argparse.Namespace) -> int:
    from outreach_app.sync import bundles
    from outreach_app.sync.held import reason_text

    with opened_store(args) as store:
        rows = bundles.held_list(store)
    if args.csv:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(QUARANTINE_HEADER)
        for row in rows:
            at = row.created_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            reason = reason_text(row.reason).english()  # CSV never changes with --lang
            writer.writerow([row.kind, str(row.record_id), str(row.from_device), at, reason])
        sys.stdout.buffer.write(buffer.getvalue().encode("utf-8"))
        sys.stdout.flush()
        return 0
    if not rows:
        print(_("Nothing is quarantined or pending."))
    for row in rows:
        at = row.created_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M")
        print(f"{row.kind}  {str(row.record_id)[:8]}  {at}  {reason_text(row.reason)}")
    return 0


BUNDLE_HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "bundle": cmd_bundle,
    "quarantine": cmd_quarantine,
}
