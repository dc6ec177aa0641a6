"""`outreach … | head`: a reader that stops early is no error of ours."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def test_a_reader_that_stops_reading_gets_no_error_message(plain_folder: Path) -> None:
    environ = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "QT_QPA_PLATFORM")}
    reading = subprocess.Popen(
        [sys.executable, "-m", "outreach_app", "--data-dir", str(plain_folder), "audit"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        env=environ,
    )
    assert reading.stdout is not None and reading.stderr is not None
    reading.stdout.close()  # the reader has gone before the first line (as `head` may)
    assert reading.wait(timeout=120) == 1
    said = reading.stderr.read().decode()
    assert "Something unexpected" not in said and "Traceback" not in said
    assert said == ""
    log = (plain_folder / "logs" / "outreach.log").read_text(encoding="utf-8")
    assert "the output was closed by its reader" in log
