"""A plain `pip install` (not editable) must carry everything the app reads at run time: the
default catalog seeded at setup, the fonts the PDFs embed, the window icons, the compiled
message catalogues and the migrations. Build the wheel as pip would and look inside it."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNTIME_FILES = (
    "outreach_app/resources/catalog.json",
    "outreach_app/resources/fonts/DejaVuSans.ttf",
    "outreach_app/resources/fonts/DejaVuSans-Bold.ttf",
    "outreach_app/resources/icons/outreach-tally-256.png",
    "outreach_app/resources/locale/fr/LC_MESSAGES/outreach.mo",
    "outreach_app/resources/locale/es/LC_MESSAGES/outreach.mo",
    "outreach_app/storage/migrations/env.py",
    "outreach_app/storage/migrations/versions/0001_initial_schema.py",
)


def test_the_wheel_carries_every_file_the_app_reads(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(tmp_path), "."],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("outreach_tally-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = [name for name in RUNTIME_FILES if name not in names]
    assert missing == []
    migrations = {p.name for p in (ROOT / "outreach_app/storage/migrations/versions").glob("0*.py")}
    shipped = {Path(n).name for n in names if "/migrations/versions/0" in n}
    assert shipped == migrations
