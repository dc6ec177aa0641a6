"""`report dashboard` (contracts §3 and §11): the coordinator's dashboard as of a day, as a PDF
whose last page is the order form, with the CSV beside it when asked; the order form alone as
PDF or CSV with `--order-pdf` / `--order-csv`.

Like the other reports, every file is built in memory and written only when all succeeded.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from outreach_app.cli import args as types
from outreach_app.cli.opening import reading
from outreach_app.i18n import _, ngettext

MAX_TARGET_DAYS = 365


def _day(text: str) -> date:
    """A date from 2000-01-01 to 2099-12-31 (contracts §3); anything else is exit 2."""
    day = types.iso_date(text)
    if not date(2000, 1, 1) <= day <= date(2099, 12, 31):
        raise argparse.ArgumentTypeError(
            _("{value!r} is outside 2000-01-01 to 2099-12-31", value=text)
        )
    return day


def _target_days(text: str) -> int:
    days = types.positive_int(text)
    if days > MAX_TARGET_DAYS:
        raise argparse.ArgumentTypeError(
            _("--target-days takes 1 to {limit} days", limit=MAX_TARGET_DAYS)
        )
    return days


def add_dashboard_parser(kinds: Any) -> None:
    """Add `dashboard` to the `report` subcommands."""
    p = kinds.add_parser(
        "dashboard", help=_("the coordinator's dashboard as of a day, with an order form")
    )
    p.add_argument("--site", default="all", help=_("a site's name, or all (the default)"))
    p.add_argument(
        "--date",
        dest="as_of",
        type=_day,
        metavar="YYYY-MM-DD",
        help=_("the day the dashboard is as of (default today)"),
    )
    p.add_argument(
        "--target-days",
        type=_target_days,
        metavar="N",
        help=_("days of stock to reorder up to (default each site's setting, else 30)"),
    )
    types.add_suppression_options(p)
    p.add_argument("--out", required=True, type=Path, metavar="F.pdf")
    p.add_argument("--csv", type=Path, metavar="F.csv")
    p.add_argument("--order-pdf", type=Path, metavar="F.pdf", help=_("the order form alone (PDF)"))
    p.add_argument("--order-csv", type=Path, metavar="F.csv", help=_("the order form alone (CSV)"))


def cmd_dashboard(args: argparse.Namespace) -> int:
    from outreach_app.cli.report_commands import write_outputs
    from outreach_app.reports.dashboard_csv import dashboard_csv
    from outreach_app.reports.dashboard_pdf import dashboard_pdf
    from outreach_app.reports.order_form import order_form_csv, order_form_pdf
    from outreach_app.services import dashboard

    with reading(args) as uow:
        board = dashboard.dashboard(
            uow,
            args.as_of,
            args.site,
            target_days=args.target_days,
            unsuppressed=args.no_suppress,
        )
    threshold = types.suppression_threshold(args)
    outputs = [(args.out, dashboard_pdf(board, threshold))]
    if args.csv:
        outputs.append((args.csv, dashboard_csv(board, threshold)))
    if args.order_pdf:
        outputs.append((args.order_pdf, order_form_pdf(board)))
    if args.order_csv:
        outputs.append((args.order_csv, order_form_csv(board)))
    write_outputs(outputs)
    paths = _(" and ").join(str(path) for path, _data in outputs)
    print(_("Dashboard as of {day} written to {paths}.", day=board.as_of.isoformat(), paths=paths))
    orders = len(board.reorder_lines)
    print(ngettext("Order form: {n} line to order.", "Order form: {n} lines to order.", orders))
    for line in board.count_needed:
        print(
            _(
                "Count needed: {item} at {site} (on hand recorded {on_hand}).",
                item=line.item_code,
                site=line.site,
                on_hand=line.on_hand,
            )
        )
    if args.no_suppress:
        print(_("Small counts are shown: the report is stamped INTERNAL."), file=sys.stderr)
    return 0
