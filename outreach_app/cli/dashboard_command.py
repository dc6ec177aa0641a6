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
from outreach_app.domain.suppression import DEFAULT_THRESHOLD

MAX_TARGET_DAYS = 365


def _day(text: str) -> date:
    """A date from 2000-01-01 to 2099-12-31 (contracts §3); anything else is exit 2."""
    day = types.iso_date(text)
    if not date(2000, 1, 1) <= day <= date(2099, 12, 31):
        raise argparse.ArgumentTypeError(f"{text!r} is outside 2000-01-01 to 2099-12-31")
    return day


def _target_days(text: str) -> int:
    days = types.positive_int(text)
    if days > MAX_TARGET_DAYS:
        raise argparse.ArgumentTypeError(f"--target-days takes 1 to {MAX_TARGET_DAYS} days")
    return days


def add_dashboard_parser(kinds: Any) -> None:
    """Add `dashboard` to the `report` subcommands."""
    p = kinds.add_parser(
        "dashboard", help="the coordinator's dashboard as of a day, with an order form"
    )
    p.add_argument("--site", default="all", help="a site's name, or all (the default)")
    p.add_argument(
        "--date",
        dest="as_of",
        type=_day,
        metavar="YYYY-MM-DD",
        help="the day the dashboard is as of (default today)",
    )
    p.add_argument(
        "--target-days",
        type=_target_days,
        metavar="N",
        help="days of stock to reorder up to (default each site's setting, else 30)",
    )
    hide = p.add_mutually_exclusive_group()
    hide.add_argument(
        "--suppress",
        type=types.suppress_threshold,
        default=DEFAULT_THRESHOLD,
        metavar="N",
        help="show counts of people from 1 to N-1 as <N (default 5)",
    )
    hide.add_argument(
        "--no-suppress",
        action="store_true",
        help="print every count; each page is stamped INTERNAL",
    )
    p.add_argument("--out", required=True, type=Path, metavar="F.pdf")
    p.add_argument("--csv", type=Path, metavar="F.csv")
    p.add_argument("--order-pdf", type=Path, metavar="F.pdf", help="the order form alone (PDF)")
    p.add_argument("--order-csv", type=Path, metavar="F.csv", help="the order form alone (CSV)")


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
    threshold = None if args.no_suppress else args.suppress
    outputs = [(args.out, dashboard_pdf(board, threshold))]
    if args.csv:
        outputs.append((args.csv, dashboard_csv(board, threshold)))
    if args.order_pdf:
        outputs.append((args.order_pdf, order_form_pdf(board)))
    if args.order_csv:
        outputs.append((args.order_csv, order_form_csv(board)))
    write_outputs(outputs)
    print(
        f"Dashboard as of {board.as_of.isoformat()} written to "
        + " and ".join(str(path) for path, _ in outputs)
        + "."
    )
    orders = len(board.reorder_lines)
    print(f"Order form: {orders} line{'s' if orders != 1 else ''} to order.")
    for line in board.count_needed:
        print(f"Count needed: {line.item_code} at {line.site} (on hand recorded {line.on_hand}).")
    if args.no_suppress:
        print("Small counts are shown: the report is stamped INTERNAL.", file=sys.stderr)
    return 0
