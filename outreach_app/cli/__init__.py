"""Headless commands over the same services as the app (contracts §3)."""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from outreach_app.domain.errors import OutreachError
from outreach_app.logsetup import configure_file_logging

log = logging.getLogger("outreach_app.cli")


def default_data_dir() -> Path:
    from platformdirs import user_data_path

    return user_data_path("OutreachTally", appauthor=False)


def main(argv: Sequence[str] | None = None) -> int:
    from outreach_app.cli.parser import build_parser

    parser = build_parser()
    args = parser.parse_args(argv)
    if args.data_dir is None:
        args.data_dir = default_data_dir()
    args.data_dir = args.data_dir.expanduser()
    if args.command is None:
        from outreach_app.cli.launch import launch_app

        return launch_app(args, parser)
    from outreach_app.cli.commands import HANDLERS  # the services, SQLAlchemy: not for the app

    log_file = configure_file_logging(args.data_dir)
    if log_file is None:
        # No log file (no data folder yet, or it takes none): without a handler, logging's
        # last resort would print the traceback below on the user's terminal.
        logging.getLogger().addHandler(logging.NullHandler())
    try:
        return HANDLERS[args.command](args)
    except OutreachError as exc:
        print(exc.message, file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("Stopped; nothing was written.", file=sys.stderr)
        return 1
    except Exception:
        log.exception("unexpected error in %s", args.command)
        where = f" Details are in {log_file}." if log_file else ""
        print(f"Something unexpected went wrong; nothing was written.{where}", file=sys.stderr)
        return 1
