"""Reliability figures (issue 11): kill -9 trials per kind and engine, hostile-file fuzzing.

At scale 1, 50 kill -9 trials per kind (logging, import-csv, backup --out, a migration from
schema 0001) on plain SQLite and on SQLCipher, and a few hundred fuzzed files for import-csv and
restore; at `--scale 0.01` (CI's smoke run) 2 trials and about a tenth of the files. The harness
is the suite's (tests/reliability): the same child, the same judge, the same checks, more often.
Every "lost" figure must be 0; the suite asserts it, here it is printed and counted.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import time
import zlib
from pathlib import Path

from benchmarks.context import Context, Figure
from outreach_app.services import backups
from outreach_app.services.store import open_store
from tests.reliability import hostile
from tests.reliability.kill_trials import BACKENDS, KINDS, new_folder, run_trials

FULL_TRIALS = 50
FUZZ = {"import-bytes": 300, "import-cells": 400, "import-encodings": 150, "import-huge": 30,
        "restore-random": 200, "restore-damaged": 200}  # fmt: skip


def _trials(scale: float) -> int:
    return max(2, min(FULL_TRIALS, round(FULL_TRIALS * scale)))


def _kill_figures(root: Path, trials: int) -> list[Figure]:
    figures = []
    for kind in KINDS:
        for backend in BACKENDS:
            started = time.perf_counter()
            seed = zlib.crc32(f"bench-{kind}-{backend}".encode())
            outcomes = run_trials(kind, backend, trials, root / f"{kind}-{backend}", seed)
            lost = sum(len(o.lost) for o in outcomes)
            broken = sum(len(o.problems) for o in outcomes)
            acked = sum(o.acknowledged for o in outcomes)
            label = f"kill -9 {kind} ({backend}): {len(outcomes)} trials, {acked} acknowledged"
            if kind == "migration":
                stages: dict[str, int] = {}
                for o in outcomes:
                    stages[o.stage] = stages.get(o.stage, 0) + 1
                label += ", killed " + ", ".join(f"{s} {n}x" for s, n in sorted(stages.items()))
            for o in outcomes:
                for text in [*o.lost, *o.problems]:
                    print(f"  {kind}/{backend}: {text[:300]}")
            figures.append(Figure(f"{label}; lost", lost, "writes", target=0))
            figures.append(Figure(f"{label}; half made or check failed", broken, "cases", target=0))
            figures.append(Figure(f"kill -9 {kind} ({backend}) time", time.perf_counter() - started,
                                  "s"))  # fmt: skip
    return figures


def _fuzz_one(name: str, examples: int, root: Path) -> Figure:
    folder = new_folder(root / name, "sqlite")
    tally = hostile.Tally()
    target = root / f"{name}.bin"
    if name.startswith("import"):
        strategy = {
            "import-bytes": hostile.random_files,
            "import-cells": hostile.random_cells(),
            "import-encodings": hostile.wrong_encodings(),
            "import-huge": hostile.huge_fields(),
        }[name]

        def check(data: bytes) -> None:
            hostile.check_import(folder, None, target, data, tally)

    else:
        store = open_store(folder)
        try:
            good = backups.backup_to(store, root / f"{name}-good.db").read_bytes()
        finally:
            store.close()
        strategy = hostile.random_files if name == "restore-random" else hostile.truncations(good)

        def check(data: bytes) -> None:
            hostile.check_restore(folder, None, target, data, tally)

    with contextlib.suppress(AssertionError):  # counted in tally.failures, printed below
        hostile.fuzz(strategy, check, examples)
    for text in tally.failures:
        print(f"  {name}: {text[:300]}")
    flagged = f" ({tally.flagged} then flagged by check)" if tally.flagged else ""
    label = (f"fuzz {name}: {tally.examples} files, {tally.refused} refused, "
             f"{tally.accepted} accepted{flagged}; traceback or partial write")  # fmt: skip
    return Figure(label, len(tally.failures), "cases", target=0)


def _fuzz_figures(root: Path, scale: float) -> list[Figure]:
    share = 1.0 if scale >= 1 else 0.1
    return [_fuzz_one(name, max(3, round(full * share)), root) for name, full in FUZZ.items()]


def run(ctx: Context) -> list[Figure]:
    root = Path(tempfile.mkdtemp(prefix="outreach-reliability-"))
    try:
        figures = _kill_figures(root / "kill", _trials(ctx.scale))
        figures += _fuzz_figures(root / "fuzz", ctx.scale)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return figures
