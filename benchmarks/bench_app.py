"""App start-up figures: from process start to the main window shown, to ready (the first save
can run: the PIN typed into the sign-in screen as soon as it shows, the Log encounter form loaded
and a write unit submitted the way a save is has run) and to checked (the quick check after
opening, which runs on its own thread beside all that and holds nothing, has ended), plain and
encrypted, each as a ratio to a bare PySide6 script that shows an empty QMainWindow (targets:
shown <= 2x, ready <= 8x; checked has no target and is printed so nothing is hidden).

Each start is its own process (`app_driver.py`, offscreen), timed by the parent from spawn to the
moment the child reads `time.monotonic()` at each event (one clock for both on Linux); the
figure is the median over a few rounds, the three kinds taking turns within each round. The
quick check alone (`health.quick_check`, in this process) is printed beside them: it reads every
page of the file, so its time grows with the data; it was in front of the first save until
issue #13 moved it beside it.

Resident memory with the Encounters page open ("All time", a few pages scrolled) is opt-in:
`run_all.py --memory-scale 4` generates its own data at that scale (about 1,000,000 encounters;
13 minutes on 2 cores) and `--memory-data DIR` keeps it there for the next run. Without it, the
memory figure is taken on the run's own data so the code path runs in CI.
"""

from __future__ import annotations

import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import outreach_app
from benchmarks.context import Context, Figure
from benchmarks.generate import PIN
from outreach_app.services import health
from outreach_app.services.store import open_store

DRIVER = Path(__file__).with_name("app_driver.py")
TIMEOUT = 600.0


def start(args: list[str], passphrase: str | None = None, pin: str = PIN) -> dict[str, float]:
    """Runs the driver once; the events it printed, in seconds since spawn (or as printed)."""
    with tempfile.TemporaryDirectory(prefix="outreach-bench-settings-") as settings:
        env = dict(
            os.environ,
            QT_QPA_PLATFORM="offscreen",
            XDG_CONFIG_HOME=settings,
            OUTREACH_BENCH_PIN=pin,
        )
        env.pop("OUTREACH_PASSPHRASE", None)
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed app has its bytecode
        if passphrase is not None:
            env["OUTREACH_BENCH_PASSPHRASE"] = passphrase
        spawned = time.monotonic()
        done = subprocess.run(
            [sys.executable, str(DRIVER), *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )
    events: dict[str, float] = {}
    for line in done.stdout.splitlines():
        name, _, value = line.partition(" ")
        events[name] = float(value)
    if done.returncode != 0 or "checked" not in events:
        raise RuntimeError(
            f"app_driver {' '.join(args)} failed ({done.returncode}):\n{done.stderr[-2000:]}"
        )
    for name in ("started", "shown", "ready", "checked"):
        events[name] -= spawned
    return events


def _rounds(scale: float) -> int:
    return 9 if scale >= 0.5 else 3  # a shared machine's noise: more rounds, a steadier median


def startup_figures(ctx: Context) -> list[Figure]:
    kinds = {
        "bare": (["bare"], None),
        "plain": (["app", str(ctx.data.plain)], None),
        "encrypted": (["app", str(ctx.data.encrypted)], ctx.passphrase),
    }
    timed = ("shown", "ready", "checked")
    times: dict[str, dict[str, list[float]]] = {k: {e: [] for e in timed} for k in kinds}
    # An installed app starts from bytecode (pip compiles it, the built app bundles it): a
    # checkout run with PYTHONDONTWRITEBYTECODE would compile every module at each start.
    compileall.compile_dir(Path(outreach_app.__file__).parent, quiet=1)
    start(*kinds["plain"])  # warm the page cache and .pyc files for every kind alike
    for _ in range(_rounds(ctx.scale)):
        for kind, (args, key) in kinds.items():
            events = start(args, key, ctx.pin)
            for event in timed:
                times[kind][event].append(events[event])
    median = {k: {e: statistics.median(v) for e, v in ev.items()} for k, ev in times.items()}
    bare = median["bare"]["shown"]
    figures = [Figure("bare PySide6 QMainWindow shown", bare * 1e3, "ms")]
    for kind in ("plain", "encrypted"):
        shown, ready = median[kind]["shown"], median[kind]["ready"]
        checked = median[kind]["checked"]
        figures += [
            Figure(f"app window shown ({kind})", shown * 1e3, "ms"),
            Figure(f"app ready, signed in and the first save can run ({kind})", ready * 1e3, "ms"),
            Figure(f"app quick check ended, beside the work ({kind})", checked * 1e3, "ms"),
            Figure(f"app shown / bare shown ({kind})", shown / bare, "x", target=2.0),
            Figure(f"app ready / bare shown ({kind})", ready / bare, "x", target=8.0),
            Figure(f"app quick check ended / bare shown ({kind})", checked / bare, "x"),
        ]
    return figures


def quick_check_figures(ctx: Context) -> list[Figure]:
    """The check whose time grows with the file (PRAGMA quick_check reads every page)."""
    figures = []
    for kind, folder, key in (
        ("plain", ctx.data.plain, None),
        ("encrypted", ctx.data.encrypted, ctx.passphrase),
    ):
        store = open_store(folder, passphrase=key)
        try:
            started = time.monotonic()
            health.quick_check(store)
            seconds = time.monotonic() - started
        finally:
            store.close()
        figures.append(
            Figure(f"quick check alone, PRAGMA quick_check ({kind})", seconds * 1e3, "ms")
        )
    return figures


def memory_figures(folder: Path, label: str) -> list[Figure]:
    bare = start(["bare", "--memory"])
    events = start(["app", str(folder), "--memory"])
    return [
        Figure("bare PySide6 QMainWindow resident memory", bare["rss"] / 1024, "MB"),
        Figure(
            f"app resident memory, Encounters page open on {int(events['total']):,} "
            f"records, {int(events['rows'])} rows fetched ({label})",
            events["rss"] / 1024,
            "MB",
            target=400.0,
        ),
        Figure(f"app peak resident memory (VmHWM, {label})", events["hwm"] / 1024, "MB"),
    ]


def run(ctx: Context) -> list[Figure]:
    figures = startup_figures(ctx) + quick_check_figures(ctx)
    if ctx.memory_data is not None:
        figures += memory_figures(ctx.memory_data, f"scale {ctx.memory_scale:g}")
    else:
        figures += memory_figures(ctx.data.plain, f"scale {ctx.scale:g}")
    return figures
