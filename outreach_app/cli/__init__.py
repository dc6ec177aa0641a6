"""Headless commands over the same services as the app (contracts §3)."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from outreach_app.domain.errors import OutreachError
from outreach_app.i18n import LANGUAGES, _, choose_language, set_language
from outreach_app.logsetup import configure_file_logging
from outreach_app.user_choices import chosen_language

log = logging.getLogger("outreach_app.cli")


def default_data_dir() -> Path:
    from platformdirs import user_data_path

    return user_data_path("OutreachTally", appauthor=False)


def requested_language(argv: Sequence[str]) -> str | None:
    """`--lang X` or `--lang=X` among the global options, read before the parser is built so
    that its help and its refusals are in that language too (the parser itself refuses any
    value but en, fr and es, exit 2)."""
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(argv):
            value: str | None = argv[i + 1]
        elif arg.startswith("--lang="):
            value = arg.partition("=")[2]
        else:
            continue
        return value if value in LANGUAGES else None
    return None


def start_language(argv: Sequence[str]) -> str:
    """The language to start in (contracts §3): `--lang`, else the one chosen in the app by
    this person on this computer (File › Language…), else the system's. Without either of
    the first two, a command follows the device's setting once it opens its store."""
    return choose_language(requested_language(argv), chosen_language())


def main(argv: Sequence[str] | None = None) -> int:
    from outreach_app.cli.global_options import app_options

    argv = list(sys.argv[1:] if argv is None else argv)
    set_language(start_language(argv))
    args = app_options(argv)  # opening the app: no command's parser is built
    if args is None:
        from outreach_app.cli.parser import build_parser

        args = build_parser().parse_args(argv)
    if args.data_dir is None:
        args.data_dir = default_data_dir()
    args.data_dir = args.data_dir.expanduser()
    if args.command is None:
        from outreach_app.cli.launch import launch_app

        return launch_app(args)
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
        print(_("Stopped; nothing was written."), file=sys.stderr)
        return 1
    except BrokenPipeError:
        # The reader stopped reading (`| head`): no error of ours, and the command's writes,
        # each one transaction, are whole or not made. Exit 1 quietly, as Python's docs advise,
        # with stdout pointed at nothing so the flush at exit does not fail again.
        log.info("%s: the output was closed by its reader", args.command)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except Exception:
        log.exception("unexpected error in %s", args.command)
        message = _("Something unexpected went wrong; nothing was written.")
        if log_file:
            message += " " + _("Details are in {path}.", path=log_file)
        print(message, file=sys.stderr)
        return 1
