"""Every benchmark, on one generated data set: `make bench` (scale 1) or `--scale 0.01` in CI.

A benchmark is a module in MODULES with `run(ctx: Context) -> list[Figure]`; add app start-up
or report timings as new modules here.
"""

from __future__ import annotations

import argparse
import importlib
import platform
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.context import Context  # noqa: E402
from benchmarks.generate import generate, reuse  # noqa: E402

MODULES = (
    "benchmarks.bench_storage",
    "benchmarks.bench_reports",
    "benchmarks.bench_app",
    "benchmarks.bench_import",
    "benchmarks.bench_bundles",
    "benchmarks.bench_hub",  # first hub sync of the year, and one with nothing new
    "benchmarks.bench_reliability",  # kill -9 trials and fuzzing: needs none of the data
)


def _commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        )
        return out.stdout.strip() or "unknown"
    except OSError:
        return "unknown"


def _memory_data(args: argparse.Namespace, root: Path) -> dict:
    """The plain folder for the opt-in memory figure: reused, or generated at --memory-scale."""
    if args.memory_scale is None:
        return {}
    where = args.memory_data or root / "memory"
    if not (where / "plain" / "outreach.db").exists():
        print(f"generating memory data at scale {args.memory_scale:g} in {where}", flush=True)
        generate(where, args.memory_scale, quiet=True)
    summary = reuse(where).summary
    print(f"memory data: {summary.encounters} encounters in {where}")
    return {"memory_data": where / "plain", "memory_scale": args.memory_scale}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--workdir", type=Path, help="keep the generated data here")
    parser.add_argument(
        "--reuse", action="store_true", help="use the data already in --workdir (no generation)"
    )
    parser.add_argument(
        "--memory-scale",
        type=float,
        help="also measure app memory on data of this scale (4: 1,000,000 encounters, slow)",
    )
    parser.add_argument(
        "--memory-data", type=Path, help="keep (or reuse) the --memory-scale data here"
    )
    parser.add_argument(
        "--only",
        action="append",
        choices=[name.rsplit(".", 1)[1].removeprefix("bench_") for name in MODULES],
        help="run only this benchmark module (repeatable): storage, reports, app, import, "
        "bundles, hub, reliability",
    )
    args = parser.parse_args()
    modules = [m for m in MODULES if not args.only or m.rsplit("_", 1)[1] in args.only]
    root = args.workdir or Path(tempfile.mkdtemp(prefix="outreach-bench-"))
    cores = len(__import__("os").sched_getaffinity(0))
    print(f"machine: {platform.machine()}, {cores} cores, Python {platform.python_version()}")
    print(f"scale: {args.scale}  commit: {_commit()}")
    try:
        data = (
            reuse(root) if args.reuse and args.workdir else generate(root, args.scale, quiet=True)
        )
        s = data.summary
        print(
            f"generated: {s.encounters} encounters, {s.lines} lines, {s.movements} movements "
            f"in {data.seconds:.1f} s"
        )
        ctx = Context(args.scale, data, **_memory_data(args, root))
        for name in modules:
            for figure in importlib.import_module(name).run(ctx):
                print(figure.line(), flush=True)
    finally:
        if args.workdir is None:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
