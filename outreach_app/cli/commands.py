"""One handler per subcommand: parse nothing, call services, print data to stdout."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path

from outreach_app.cli.demo_commands import cmd_demo
from outreach_app.cli.opening import open_from_args, opened_store, reading, write
from outreach_app.cli.passphrase import new_passphrase
from outreach_app.cli.pins import new_pin
from outreach_app.cli.progress import terminal_progress
from outreach_app.domain.clock import date_at_noon, to_utc
from outreach_app.domain.codes import normalize_code
from outreach_app.domain.values import EncounterDraft, EncounterSummary, StocktakeLineInfo
from outreach_app.reports.stock_csv import stock_csv, stock_text
from outreach_app.services import (
    app_lock,
    backups,
    checks,
    encounters,
    importer,
    inventory,
    stocktake,
)
from outreach_app.services.store import InitOptions, init_store
from outreach_app.services.uow import UnitOfWork

__all__ = ["HANDLERS", "open_from_args"]


def cmd_init(args: argparse.Namespace) -> int:
    passphrase = None
    if not args.db_url and not args.no_encryption:
        passphrase = new_passphrase()
    coordinator = " ".join(args.coordinator.split()) or "Coordinator"
    options = InitOptions(
        org=args.org,
        site=args.site,
        site_kind=args.site_kind,
        device=args.device,
        timezone=args.timezone,
        passphrase=passphrase,
        coordinator=coordinator,
        coordinator_pin=new_pin(coordinator, optional=True),
        codes=args.codes,
    )
    init_store(args.data_dir, options, db_url=args.db_url)
    where = "the PostgreSQL database" if args.db_url else str(args.data_dir)
    state = "encrypted" if passphrase else "not encrypted"
    if args.db_url:
        state = "on the server"
    print(
        f"Initialised {where} for {args.org} ({state}); first site: {args.site}.", file=sys.stderr
    )
    if options.coordinator_pin is None:
        print(
            f"{coordinator} is the first coordinator, without a PIN yet: set it when the app "
            "first opens (or set OUTREACH_NEW_PIN next time).",
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
    lot = f" lot {movement.lot}" if movement.lot else ""
    print(f"Received {movement.quantity} {movement.item_code}{lot} at {movement.site}.")
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
        kit_codes = set(encounters.Catalog(uow.session).kits)
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
    given = sum(q for _, q in record.items)
    stock = " (stock not moved)" if args.no_stock else ""
    print(
        f"Recorded a tally of {record.contacts} contacts and {given} supplies at {record.site} "
        f"on {args.date.isoformat()}{stock}."
    )
    for short in record.negative_recorded:
        print(f"Recorded below zero: {short.describe()}. Count this item at {short.site}.")
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
        f"Imported {result.encounters} encounters and {result.lines} lines from {args.file.name}."
    )
    if not result.stock_moved:
        print("Stock was not moved (--no-stock): the rows count in reports only.")
    for short in result.negative_recorded:
        print(f"Recorded below zero: {short.describe()}.")
    if result.identifying_rows:
        rows = ", ".join(str(n) for n in result.identifying_rows)
        print(
            f"Check the notes of these rows; they look identifying (a name, a phone number): "
            f"{rows}.",
            file=sys.stderr,
        )
    return 0


def cmd_count(args: argparse.Namespace) -> int:
    def count(uow: UnitOfWork) -> tuple[list[StocktakeLineInfo], str]:
        at = to_utc(args.at, uow.zone) if args.at else uow.now()
        lines = stocktake.key_in_count(uow, args.site, at, args.counts)
        return lines, at.astimezone(uow.zone).strftime("%Y-%m-%d %H:%M")

    lines, when = write(args, count)
    print(f"Recorded a count of {len(lines)} lines at {args.site} at {when}.")
    for line in lines:
        if line.variance:
            lot = f" lot {line.lot}" if line.lot else ""
            print(f"{line.item_code}{lot}: counted {line.counted}, expected {line.expected}.")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    with opened_store(args) as store:
        if args.repair:
            print(checks.repair(store), file=sys.stderr)
        report = checks.run_checks(store)
    for line in report.notes:
        print(line)
    for problem in report.problems:
        print(f"PROBLEM: {problem}")
    if report.problems:
        print(f"{len(report.problems)} problem(s) found.", file=sys.stderr)
        return 1
    print("No problems found.")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    with opened_store(args) as store:
        out = backups.backup_to(store, args.out)
    print(f"Backup written to {out}.")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    with app_lock.folder_closed(args.data_dir) if not args.db_url else nullcontext():
        store = open_from_args(args)
        saved = backups.restore_from(store, Path(args.file))
    print(f"Restored {args.file}. The data it replaced was kept in {saved}.")
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

from outreach_app.cli.privacy_commands import PRIVACY_HANDLERS  # noqa: E402
from outreach_app.cli.report_commands import REPORT_HANDLERS  # noqa: E402
from outreach_app.cli.staff_commands import STAFF_HANDLERS  # noqa: E402

HANDLERS.update(REPORT_HANDLERS)
HANDLERS.update(STAFF_HANDLERS)
HANDLERS.update(PRIVACY_HANDLERS)
