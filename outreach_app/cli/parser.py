"""The command line of contracts §3. Each subcommand names its handler in `commands`."""

from __future__ import annotations

from pathlib import Path

from outreach_app.cli import args as types
from outreach_app.cli.bundle_commands import add_bundle_parsers
from outreach_app.cli.demo_commands import add_demo_parser
from outreach_app.cli.device_commands import add_device_parsers
from outreach_app.cli.global_options import Parser, add_global_options
from outreach_app.cli.privacy_commands import add_privacy_parsers
from outreach_app.cli.report_commands import add_report_parsers
from outreach_app.cli.staff_commands import add_staff_parsers
from outreach_app.cli.sync_commands import add_sync_parser
from outreach_app.domain.codes import SiteKind
from outreach_app.i18n import _


def build_parser() -> Parser:
    parser = Parser(prog="outreach", description=_("Outreach Tally: supplies and encounters."))
    add_global_options(parser)
    sub = parser.add_subparsers(dest="command", parser_class=Parser, metavar="COMMAND")

    p = sub.add_parser("init", help=_("create and seed a data folder (encrypted by default)"))
    # --org and --site are required unless --join (cmd_init says so, exit 2); the others of a
    # new organisation default to None so that --join can tell they were given.
    p.add_argument("--org")
    p.add_argument("--site")
    p.add_argument("--site-kind", choices=[k.value for k in SiteKind], help="default: fixed")
    p.add_argument("--device", help=_("this device's name (default: This computer)"))
    p.add_argument("--timezone")
    p.add_argument("--no-encryption", action="store_true")
    p.add_argument("--codes", choices=["random", "own"], help="default: random")
    p.add_argument("--coordinator", metavar="NAME", help="default: Coordinator")
    p.add_argument(
        "--join",
        type=Path,
        metavar="FILE",
        help=_("join an organisation with an invitation file (join code from OUTREACH_JOIN_CODE)"),
    )

    p = sub.add_parser("import-csv", help=_("encounters from a spreadsheet export"))
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--no-stock", action="store_true")
    p.add_argument("--allow-negative", action="store_true")

    p = sub.add_parser("receive", help=_("receive stock at a site"))
    p.add_argument("--site", required=True)
    p.add_argument("--item", required=True)
    p.add_argument("--qty", required=True, type=types.positive_int)
    p.add_argument("--lot")
    p.add_argument("--expires", type=types.iso_date)
    p.add_argument("--source", default="")

    p = sub.add_parser("stock", help=_("stock on hand"))
    p.add_argument("--site")
    p.add_argument("--csv", action="store_true")

    p = sub.add_parser("tally-entry", help=_("key in a filled paper tally sheet"))
    p.add_argument("--site", required=True)
    p.add_argument("--date", required=True, type=types.iso_date)
    p.add_argument("--contacts", required=True, type=types.count)
    p.add_argument("--no-stock", action="store_true")
    p.add_argument("--allow-negative", action="store_true")
    p.add_argument("quantities", nargs="*", type=types.code_quantity, metavar="CODE=QTY")

    p = sub.add_parser("count", help=_("key in a stock count (e.g. from a paper count sheet)"))
    p.add_argument("--site", required=True)
    p.add_argument("--at", type=types.local_moment, help=_("YYYY-MM-DDTHH:MM[:SS]; default now"))
    p.add_argument("counts", nargs="+", type=types.code_lot_count, metavar="CODE[:LOT]=N")

    p = sub.add_parser("check", help=_("integrity and ledger consistency"))
    p.add_argument(
        "--repair",
        action="store_true",
        help=_("rebuild kept balances and the database's guards from the ledger (backup first)"),
    )

    p = sub.add_parser("backup", help=_("online backup (encrypted stays encrypted)"))
    p.add_argument("--out", required=True, type=Path)

    p = sub.add_parser(
        "restore", help=_("restore a backup after a verified copy of the current data")
    )
    p.add_argument("file", type=Path, metavar="FILE")
    add_report_parsers(sub)
    add_demo_parser(sub)
    add_staff_parsers(sub)
    add_privacy_parsers(sub)
    add_device_parsers(sub)
    add_bundle_parsers(sub)
    add_sync_parser(sub)
    return parser
