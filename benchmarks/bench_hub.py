"""Hub figures (issue 9): the first sync of a year into an empty hub, and a sync with nothing new.

The hub is a real PostgreSQL database (a throwaway cluster, as the tests start) joined to the
benchmark folder's organisation by invitation; the device is a copy of the plain year. Skipped,
with a line saying so, where no PostgreSQL server is installed.

    python benchmarks/bench_hub.py --data /tmp/bench   # data from benchmarks/generate.py
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.context import Context, Figure
from benchmarks.generate import reuse
from outreach_app.services.store import Store, open_store
from outreach_app.sync.hub import BATCH, sync_with_hub
from outreach_app.sync.joining import join, make_invitation, read_invitation
from tests import pg_cluster


def _join_hub(store: Store, work: Path, url: str) -> None:
    made = make_invitation(store, work / "hub.invitation")
    join(
        work / "hub-logs", read_invitation(made.path, made.join_code), device_name="Hub", db_url=url
    )


def measure(plain: Path, work: Path) -> tuple[float, float, int, int]:
    """(first sync s, sync with nothing new s, records sent, batches)."""
    cluster = pg_cluster.start_cluster()
    try:
        cluster.execute("CREATE DATABASE bench_hub")
        url = cluster.url("bench_hub")
        device = work / "device"
        shutil.copytree(plain, device)
        store = open_store(device)
        try:
            _join_hub(store, work, url)
            started = time.perf_counter()
            first = sync_with_hub(store, url)
            first_s = time.perf_counter() - started
            started = time.perf_counter()
            again = sync_with_hub(store, url)
            again_s = time.perf_counter() - started
            assert again.total_pushed == again.total_pulled == 0, "a re-sync moved records"
        finally:
            store.close()
        return first_s, again_s, first.total_pushed, first.batches
    finally:
        cluster.stop()


def run(ctx: Context) -> list[Figure]:
    if pg_cluster.find_bin_dir() is None:
        print("hub: skipped (no PostgreSQL server installed)")
        return []
    work = Path(tempfile.mkdtemp(prefix="outreach-bench-hub-"))
    try:
        first_s, again_s, sent, batches = measure(ctx.data.plain, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return [
        Figure(
            f"hub first sync of the year ({sent} records, {batches} batches of {BATCH})",
            first_s,
            "s",
        ),
        Figure("hub sync with nothing new", again_s, "s"),
        Figure("hub first sync, records per second", sent / first_s if first_s else 0, "rec/s"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, required=True)
    args = parser.parse_args()
    ctx = Context(0, reuse(args.data))
    for figure in run(ctx):
        print(figure.line())


if __name__ == "__main__":
    main()
