"""`outreach` with no command: open the app, or explain why it cannot be shown (exit 2)."""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys

from outreach_app.i18n import _


def launch_app(args: argparse.Namespace) -> int:
    has_display = bool(
        os.environ.get("DISPLAY")
        or os.environ.get("WAYLAND_DISPLAY")
        or os.environ.get("QT_QPA_PLATFORM")
        or sys.platform in ("win32", "darwin")
    )
    app_available = importlib.util.find_spec("outreach_app.ui.app") is not None
    if not (has_display and app_available):
        from outreach_app.cli.parser import build_parser

        build_parser().print_usage(sys.stderr)
        print(
            _("outreach: no screen to show the app on; give a COMMAND (see `outreach --help`)."),
            file=sys.stderr,
        )
        return 2
    from outreach_app.ui.app import run_app

    return run_app(args.data_dir, args.db_url)
