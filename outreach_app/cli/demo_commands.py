"""`outreach demo --month YYYY-MM`: a realistic synthetic month in an initialised folder."""

from __future__ import annotations

import argparse
from typing import Any

from outreach_app.cli import args as types
from outreach_app.cli.opening import opened_store
from outreach_app.i18n import _


def add_demo_parser(sub: Any) -> None:
    p = sub.add_parser(
        "demo", help=_("fill the folder with a synthetic month (training, screenshots)")
    )
    p.add_argument("--month", required=True, type=types.month)


def cmd_demo(args: argparse.Namespace) -> int:
    from outreach_app.services import demo

    with opened_store(args) as store:
        summary = demo.fill_month(store, args.month)
    print(
        _(
            "Added a synthetic {month}: {encounters} encounters at {sites} sites, {voided} "
            "voided, {counts} stock counts. Participant codes are made up (P-0001...).",
            month=args.month.label(),
            encounters=summary.encounters,
            sites=summary.sites,
            voided=summary.voided,
            counts=summary.stocktakes,
        )
    )
    return 0
