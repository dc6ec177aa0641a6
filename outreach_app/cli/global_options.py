"""The options before any command (contracts §3), and reading them alone when the app opens.

`outreach` with only these options opens the app. Building the whole command line imports
every command's module, time the app's window would wait for; `app_options` reads the global
options with a parser of their own and leaves the full one (`parser.build_parser`) to a
command, to `--help` and to any refusal, so what is printed is the same either way.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from outreach_app import __version__
from outreach_app.i18n import LANGUAGES, _


class Parser(argparse.ArgumentParser):
    """argparse already exits 2 on a refusal; this only keeps its message to one clear line."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")


class _NotOnlyGlobal(Exception):
    """The arguments are more than global options, or wrong: the full parser answers."""


class _GlobalOnlyParser(Parser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise _NotOnlyGlobal(message)


def add_global_options(parser: argparse.ArgumentParser) -> None:
    from outreach_app.cli import args as types

    parser.add_argument("--version", action="version", version=f"outreach {__version__}")
    parser.add_argument(
        "--data-dir", type=Path, help=_("data folder (default: the user data folder)")
    )
    parser.add_argument(
        "--db-url",
        type=types.db_url,
        help=_("a PostgreSQL database instead of the folder's file (postgresql://USER@HOST/DB)"),
    )
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        help=_(
            "language of messages, PDF reports and paper forms (default: the app's setting, "
            "else the system's); CSV files never change"
        ),
    )
    parser.add_argument(
        "--staff",
        metavar="NAME",
        help=_("act as this person (default: the first coordinator); their PIN from OUTREACH_PIN"),
    )


def app_options(argv: Sequence[str]) -> argparse.Namespace | None:
    """The options when `argv` only opens the app (`command` None); None when it names a
    command, asks for help or holds anything the full parser must answer."""
    if any(arg in ("-h", "--help") or arg == "--" for arg in argv):
        return None
    parser = _GlobalOnlyParser(prog="outreach", add_help=False)
    add_global_options(parser)
    try:
        found, rest = parser.parse_known_args(list(argv))
    except _NotOnlyGlobal:
        return None
    if rest:
        return None
    found.command = None
    return found
