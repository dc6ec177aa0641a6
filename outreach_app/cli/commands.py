"""One handler per subcommand: parse nothing, call services, print data to stdout."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path

from outreach_app.cli.demo_commands import cmd_demo
from outreach_app.cli.device_commands import cmd_join, usage_error
from outreach_app.cli.opening import open_from_args, opened_store, reading, write
from outreach_app.cli.passphrase import new_passphrase
from outreach_app.cli.pins import new_pin
from outreach_app.cli.progress import terminal_progress
from outreach_app.domain.clock import date_at_noon, to_utc
from outreach_app.domain.codes import normalize_code
from outreach_app.domain.values import EncounterDraft, EncounterSummary, StocktakeLineInfo
from outreach_app.i18n import _, ngettext
from outreach_app.reports.stock_csv import stock_csv, stock_text
from outreach_app.services import (
    app_lock,
    backups,
    checks,
    encounter_checks,
    encounters,
    importer,
    inventory,
    stocktake,
)
from outreach_app.services.store_init import InitOptions, init_store
from outreach_app.services.uow import UnitOfWork

__all__ = ["HANDLERS", "open_from_args"]


def cmd_init(args: argparse.Namespace) -> int:
    if args.join is not None:
        return cmd_join(args)
    missing = [flag for flag, value in (("--org", args.org), ("--site", args.site)) if not value]
    if missing:
        return usage_error(
            _(
                "the following arguments are required: {options} (or --join FILE)",
                options=", ".join(missing),
            )
        )
    passphrase = None
    if not args.db_url and not args.no_encryption:
        passphrase = new_passphrase()
    coordinator = " ".join((args.coordinator or "").split()) or "Coordinator"
    options = InitOptions(
        org=args.org,
        site=args.site,
        site_kind=args.site_kind or "fixed",
        device=args.device or "This computer",
        timezone=args.timezone,
        passphrase=passphrase,
        coordinator=coordinator,
        coordinator_pin=new_pin(coordinator, optional=True),
        codes=args.codes or "random",
    )
    init_store(args.data_dir, options, db_url=args.db_url)
    if args.db_url:
        message = _(
            "Initialised the PostgreSQL database for {org} (on the server); first site: {site}.",
            org=args.org,
            site=args.site,
        )
    else:
        message = (
            _(
                "Initialised {path} for {org} (encrypted); first site: {site}.",
                path=args.data_dir,
                org=args.org,
                site=args.site,
            )
            if passphrase
            else _(
                "Initialised {path} for {org} (not encrypted); first site: {site}.",
                path=args.data_dir,
                org=args.org,
                site=args.site,
            )
        )
    print(message, file=sys.stderr)
    if options.coordinator_pin is None:
        print(
            _(
                "{name} is the first coordinator, without a PIN yet: set it when the app first "
                "opens (or set OUTREACH_NEW_PIN next time).",
                name=coordinator,
            ),
            file=sys.stderr,
        )
    return 0


def cmd_receive(args: argparse.Namespace) -> int:
    movement = write(
        args,
        lambda uow: inventory.receive(
            uow,
            args.site,
            args.item,
            args.qty,
            lot=args.lot,
            expires=args.expires,
            source=args.source,
        ),
    )
    if movement.lot:
        print(
            _(
                "Received {qty} {item} lot {lot} at {site}.",
                qty=movement.quantity,
                item=movement.item_code,
                lot=movement.lot,
                site=movement.site,
            )
        )
    else:
        print(
            _(
                "Received {qty} {item} at {site}.",
                qty=movement.quantity,
                item=movement.item_code,
                site=movement.site,
            )
        )
    for warning in movement.text_warnings:  # --source text that looks identifying
        print(warning.describe(), file=sys.stderr)
    return 0


def cmd_stock(args: argparse.Namespace) -> int:
    with reading(args) as uow:
        rows = inventory.on_hand(uow, args.site)
    if args.csv:
        sys.stdout.buffer.write(stock_csv(rows))
        sys.stdout.flush()
    else:
        sys.stdout.write(stock_text(rows))
    return 0


def cmd_tally_entry(args: argparse.Namespace) -> int:
    def tally(uow: UnitOfWork) -> EncounterSummary:
        items: dict[str, int] = {}
        kits: dict[str, int] = {}
        kit_codes = set(encounter_checks.Catalog(uow.session).kits)
        for code, qty in args.quantities:
            target = kits if normalize_code(code) in kit_codes else items
            target[code] = target.get(code, 0) + qty
        draft = EncounterDraft(
            site=args.site,
            occurred_at=date_at_noon(args.date, uow.zone),
            items=items,
            kits=kits,
            is_tally=True,
            contacts=args.contacts,
        )
        # Never refused for a shortfall (contracts §1): the supplies are already handed out.
        # --allow-negative is still accepted; it changes nothing here any more.
        return encounters.log_encounter(uow, draft, override=True, move_stock=not args.no_stock)

    record = write(args, tally)
    given = sum(q for _code, q in record.items)
    args_ = {
        "contacts": record.contacts,
        "given": given,
        "site": record.site,
        "day": args.date.isoformat(),
    }
    if args.no_stock:
        print(
            _(
                "Recorded a tally of {contacts} contacts and {given} supplies at {site} on {day} "
                "(stock not moved).",
                **args_,
            )
        )
    else:
        print(
            _(
                "Recorded a tally of {contacts} contacts and {given} supplies at {site} on {day}.",
                **args_,
            )
        )
    for short in record.negative_recorded:
        print(
            _(
                "Recorded below zero: {shortfall}. Count this item at {site}.",
                shortfall=short.describe(),
                site=short.site,
            )
        )
    return 0


def cmd_import_csv(args: argparse.Namespace) -> int:
    progress = terminal_progress()  # only on a terminal (stderr)
    try:
        result = write(
            args,
            lambda uow: importer.import_csv(
                uow,
                args.file,
                move_stock=not args.no_stock,
                allow_negative=args.allow_negative,
                progress=progress,
            ),
        )
    finally:
        if progress is not None:
            progress.finish()
    print(
        _(
            "Imported {encounters} encounters and {lines} lines from {name}.",
            encounters=result.encounters,
            lines=result.lines,
            name=args.file.name,
        )
    )
    if not result.stock_moved:
        print(_("Stock was not moved (--no-stock): the rows count in reports only."))
    for short in result.negative_recorded:
        print(_("Recorded below zero: {shortfall}.", shortfall=short.describe()))
    if result.identifying_rows:
        print(
            ngettext(
                "Check the note of row {rows}: it looks identifying (a name, a phone number).",
                "Check the notes of these rows; they look identifying (a name, a phone number): "
                "{rows}.",
                len(result.identifying_rows),
                rows=", ".join(str(n) for n in result.identifying_rows),
            ),
            file=sys.stderr,
        )
    return 0


def cmd_count(args: argparse.Namespace) -> int:
    def count(uow: UnitOfWork) -> tuple[list[StocktakeLineInfo], str]:
        at = to_utc(args.at, uow.zone) if args.at else uow.now()
        lines = stocktake.key_in_count(uow, args.site, at, args.counts)
        return lines, at.astimezone(uow.zone).strftime("%Y-%m-%d %H:%M")

    lines, when = write(args, count)
    print(
        ngettext(
            "Recorded a count of {n} line at {site} at {when}.",
            "Recorded a count of {n} lines at {site} at {when}.",
            len(lines),
            site=args.site,
            when=when,
        )
    )
    for line in lines:
        if line.variance:
            what = f"{line.item_code} lot {line.lot}" if line.lot else line.item_code
            print(
                _(
                    "{what}: counted {counted}, expected {expected}.",
                    what=what,
                    counted=line.counted,
                    expected=line.expected,
                )
            )
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    with opened_store(args) as store:
        if args.repair:
            print(checks.repair(store), file=sys.stderr)
        report = checks.run_checks(store)
    for line in report.notes:
        print(line)
    for problem in report.problems:
        print(_("PROBLEM: {problem}", problem=problem))
    if report.problems:
        count = len(report.problems)
        print(ngettext("{n} problem found.", "{n} problems found.", count), file=sys.stderr)
        return 1
    print(_("No problems found."))
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    with opened_store(args) as store:
        out = backups.backup_to(store, args.out)
    print(_("Backup written to {path}.", path=out))
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    with app_lock.folder_closed(args.data_dir) if not args.db_url else nullcontext():
        store = open_from_args(args)
        saved = backups.restore_from(store, Path(args.file))
    print(
        _("Restored {file}. The data it replaced was kept in {saved}.", file=args.file, saved=saved)
    )
    return 0


HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "init": cmd_init,
    "receive": cmd_receive,
    "stock": cmd_stock,
    "tally-entry": cmd_tally_entry,
    "import-csv": cmd_import_csv,
    "count": cmd_count,
    "check": cmd_check,
    "backup": cmd_backup,
    "restore": cmd_restore,
    "demo": cmd_demo,
}

from outreach_app.cli.bundle_commands import BUNDLE_HANDLERS  # noqa: E402
from outreach_app.cli.device_commands import DEVICE_HANDLERS  # noqa: E402
from outreach_app.cli.privacy_commands import PRIVACY_HANDLERS  # noqa: E402
from outreach_app.cli.report_commands import REPORT_HANDLERS  # noqa: E402
from outreach_app.cli.staff_commands import STAFF_HANDLERS  # noqa: E402
from outreach_app.cli.sync_commands import SYNC_HANDLERS  # noqa: E402

HANDLERS.update(REPORT_HANDLERS)
HANDLERS.update(STAFF_HANDLERS)
HANDLERS.update(PRIVACY_HANDLERS)
HANDLERS.update(DEVICE_HANDLERS)
HANDLERS.update(BUNDLE_HANDLERS)
HANDLERS.update(SYNC_HANDLERS)
