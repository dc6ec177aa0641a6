"""`report monthly`, `report inventory`, `tally-sheet` and `count-sheet` (contracts §3).

Reports and services are imported inside the handlers so that other commands start fast.
Every output is built in memory first and written only once everything succeeded, each file
through a temporary file and `os.replace`, so a refusal leaves no half-written report behind.
"""

from __future__ import annotations

import argparse
import errno
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from outreach_app.cli import args as types
from outreach_app.cli.dashboard_command import add_dashboard_parser, cmd_dashboard
from outreach_app.cli.opening import reading
from outreach_app.domain.clock import Period
from outreach_app.domain.errors import BadFile
from outreach_app.i18n import _, _l

# A full disk, a file past the system's size limit, a full quota.
DISK_FULL_ERRNOS = {errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}


def _period_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--month", type=types.month, metavar="YYYY-MM")
    p.add_argument("--from", dest="date_from", type=types.iso_date, metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", type=types.iso_date, metavar="YYYY-MM-DD")
    p.add_argument("--site", default="all", help=_("a site's name, or all (the default)"))
    p.add_argument("--out", required=True, type=Path, metavar="F.pdf")
    p.add_argument("--csv", type=Path, metavar="F.csv")


def add_report_parsers(sub: Any) -> None:
    """Add the report commands to the `outreach` subparsers."""
    report = sub.add_parser(
        "report", help=_("monthly tally or inventory reconciliation (PDF, CSV)")
    )
    kinds = report.add_subparsers(dest="report_kind", metavar="REPORT", required=True)
    p = kinds.add_parser("monthly", help=_("monthly tally for a month or any period"))
    _period_options(p)
    types.add_suppression_options(p)
    p = kinds.add_parser("inventory", help=_("inventory reconciliation for a month or period"))
    _period_options(p)
    add_dashboard_parser(kinds)

    p = sub.add_parser("tally-sheet", help=_("a blank paper tally sheet"))
    p.add_argument("--site", required=True)
    p.add_argument("--paper", choices=["letter", "a4"], default="letter")
    p.add_argument("--per", choices=["shift", "day"], default="shift")
    p.add_argument("--out", required=True, type=Path, metavar="F.pdf")

    p = sub.add_parser("count-sheet", help=_("a blank stock count sheet"))
    p.add_argument("--site", required=True)
    p.add_argument("--show-expected", action="store_true")
    p.add_argument("--out", required=True, type=Path, metavar="F.pdf")


def period_from_args(args: argparse.Namespace) -> Period:
    """--month, or --from and --to; anything else is the parser's refusal (exit 2)."""
    has_range = args.date_from is not None or args.date_to is not None
    if args.month is not None and not has_range:
        return args.month
    if args.month is None and args.date_from is not None and args.date_to is not None:
        if args.date_to < args.date_from:
            _usage_error(args, _("--to is before --from"))
        return Period(args.date_from, args.date_to)
    _usage_error(args, _("give --month YYYY-MM, or both --from YYYY-MM-DD and --to YYYY-MM-DD"))
    raise AssertionError  # unreachable: _usage_error exits


def _usage_error(args: argparse.Namespace, message: str) -> None:
    print(
        _("outreach report {kind}: error: {message}", kind=args.report_kind, message=message),
        file=sys.stderr,
    )
    raise SystemExit(2)


def write_outputs(outputs: list[tuple[Path, bytes]]) -> None:
    """Write every file or none: temporaries first, then replace them into place."""
    staged: list[tuple[Path, Path]] = []
    try:
        for target, data in outputs:
            folder = target.expanduser().resolve().parent
            if not folder.is_dir():
                raise BadFile(
                    _l(
                        "The folder {path} does not exist; create it or choose another.",
                        path=folder,
                    )
                )
            fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", dir=folder)
            staged.append((Path(tmp_name), target))
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
        for tmp, target in staged:
            os.replace(tmp, target)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        if exc.errno in DISK_FULL_ERRNOS:  # EFBIG reads "File too large": it is the disk
            reason = "the disk is full (free some space or choose another disk)"
        raise BadFile(
            _l("Could not write the report: {reason}. Nothing was written.", reason=reason)
        ) from exc
    finally:
        for tmp, _target in staged:
            tmp.unlink(missing_ok=True)


def cmd_report(args: argparse.Namespace) -> int:
    from outreach_app.reports.inventory_csv import inventory_csv
    from outreach_app.reports.inventory_pdf import inventory_pdf
    from outreach_app.reports.monthly_csv import monthly_csv
    from outreach_app.reports.monthly_pdf import monthly_pdf
    from outreach_app.services import reconciliation, tally

    if args.report_kind == "dashboard":
        return cmd_dashboard(args)
    period = period_from_args(args)
    with reading(args) as uow:
        if args.report_kind == "monthly":
            figures = tally.monthly_tally(uow, period, args.site, unsuppressed=args.no_suppress)
        else:
            stock = reconciliation.reconcile(uow, period, args.site)
    outputs: list[tuple[Path, bytes]]
    if args.report_kind == "monthly":
        threshold = types.suppression_threshold(args)
        outputs = [(args.out, monthly_pdf(figures, threshold))]
        if args.csv:
            outputs.append((args.csv, monthly_csv(figures, threshold)))
        what = _("Monthly tally for {period} written to {paths}.")
    else:
        outputs = [(args.out, inventory_pdf(stock))]
        if args.csv:
            outputs.append((args.csv, inventory_csv(stock)))
        what = _("Inventory reconciliation for {period} written to {paths}.")
    write_outputs(outputs)
    paths = _(" and ").join(str(path) for path, _data in outputs)
    print(what.format(period=period.label(), paths=paths))
    if args.report_kind == "monthly" and args.no_suppress:
        print(_("Small counts are shown: the report is stamped INTERNAL."), file=sys.stderr)
    return 0


def cmd_tally_sheet(args: argparse.Namespace) -> int:
    from outreach_app.reports.tally_sheet_pdf import tally_sheet_pdf
    from outreach_app.services import forms

    with reading(args) as uow:
        sheet = forms.tally_sheet(uow, args.site)
    write_outputs([(args.out, tally_sheet_pdf(sheet, paper=args.paper, per=args.per))])
    print(
        _(
            "Tally sheet for {site} ({lines} lines) written to {path}.",
            site=sheet.site,
            lines=len(sheet.lines),
            path=args.out,
        )
    )
    return 0


def cmd_count_sheet(args: argparse.Namespace) -> int:
    from outreach_app.reports.count_sheet_pdf import count_sheet_pdf
    from outreach_app.services import forms

    with reading(args) as uow:
        sheet = forms.count_sheet(uow, args.site)
    write_outputs([(args.out, count_sheet_pdf(sheet, show_expected=args.show_expected))])
    print(
        _(
            "Count sheet for {site} ({lines} lines) written to {path}.",
            site=sheet.site,
            lines=len(sheet.lines),
            path=args.out,
        )
    )
    return 0


REPORT_HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "report": cmd_report,
    "tally-sheet": cmd_tally_sheet,
    "count-sheet": cmd_count_sheet,
}
