"""Kill -9 trials (issue 11, point 4): 5 per kind and engine here, 50 in `make bench`.

A child logs encounters, imports spreadsheets with the real `import-csv`, writes backups with
the real `backup --out`, or opens a folder at schema 0001 so the upgrade runs; it is killed with
SIGKILL at a random moment. Then: integrity_check ok, every acknowledged write there, nothing
half made, `outreach check` clean (tests/reliability/kill_trials.py says exactly what is judged).

The last tests show the judge can fail: given a lost id, a half import or a half backup, it says
so (a trial that could never fail would prove nothing).
"""

from __future__ import annotations

import sqlite3
import uuid
import zlib
from pathlib import Path

import pytest

from tests.reliability.kill_trials import BACKENDS, KINDS, judge, new_folder, run_trials

TRIALS = 5
WINDOW_SCALE = 0.5  # kills within half of the bench's windows: fewer writes, same moments
pytestmark = pytest.mark.crash


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("kind", KINDS)
def test_kill_minus_nine_loses_nothing_acknowledged(
    kind: str, backend: str, tmp_path: Path
) -> None:
    seed = zlib.crc32(f"{kind}-{backend}".encode())  # random moments, the same on every run
    outcomes = run_trials(kind, backend, TRIALS, tmp_path, seed, window_scale=WINDOW_SCALE)
    assert len(outcomes) == TRIALS
    acked = sum(o.acknowledged for o in outcomes)
    print(
        f"{kind}-{backend}: {TRIALS} trials, {acked} acknowledged,"
        f" stages {[o.stage for o in outcomes]}"
    )
    for number, outcome in enumerate(outcomes, start=1):
        assert outcome.lost == [], f"trial {number} (killed after {outcome.killed_after_s:.2f} s)"
        assert outcome.problems == [], (
            f"trial {number} (killed after {outcome.killed_after_s:.2f} s)"
        )
    if kind != "migration":  # at least one trial ran long enough to acknowledge writes
        assert sum(o.acknowledged for o in outcomes) > 0


@pytest.fixture
def trial_folder(tmp_path: Path) -> Path:
    return new_folder(tmp_path / "data", "sqlite")


def test_the_judge_sees_a_lost_acknowledged_encounter(trial_folder: Path, tmp_path: Path) -> None:
    never_written = uuid.uuid4().hex
    outcome = judge(
        "log", "sqlite", trial_folder, tmp_path, [f"ack encounter {never_written}"], None
    )
    assert outcome.lost == [f"encounter {never_written}"]


def test_the_judge_sees_a_half_import(trial_folder: Path, tmp_path: Path) -> None:
    with sqlite3.connect(trial_folder / "outreach.db") as conn:
        device, seq = conn.execute("SELECT id, last_seq FROM devices").fetchone()
        conn.execute(
            "INSERT INTO imports (id, device_id, seq, created_at, filename, rows) "
            "VALUES (?, ?, ?, 0, 'half.csv', 120)",
            (uuid.uuid4().bytes, device, seq + 1),
        )
    conn.close()
    outcome = judge("import", "sqlite", trial_folder, tmp_path, ["ack import half.csv"], None)
    assert any("half imported: half.csv holds 0 of 120" in p for p in outcome.problems)


def test_the_judge_sees_a_half_backup(trial_folder: Path, tmp_path: Path) -> None:
    whole = (trial_folder / "outreach.db").read_bytes()
    (tmp_path / "backup-001-0000.db").write_bytes(whole[: len(whole) // 2])
    outcome = judge("backup", "sqlite", trial_folder, tmp_path, [], None)
    assert any("backup-001-0000.db is not a whole backup" in p for p in outcome.problems)
