"""The log file in the data folder. Tracebacks go here, never to the user's terminal.

Nothing logged carries participant codes or notes: engines hide bound parameters and the
services log only counts, codes of supplies and ids.
"""

from __future__ import annotations

import logging
import logging.handlers
from io import TextIOWrapper
from pathlib import Path

LOG_NAME = "outreach.log"


def log_path(data_dir: Path) -> Path:
    return data_dir / "logs" / LOG_NAME


class _LazyFileHandler(logging.handlers.RotatingFileHandler):
    """Creates `logs/` and the file only when a record is written, so a command refused before
    touching anything (wrong passphrase, newer schema) leaves the folder exactly as it was."""

    def _open(self) -> TextIOWrapper:
        Path(self.baseFilename).parent.mkdir(exist_ok=True)
        return super()._open()

    def handleError(self, record: logging.LogRecord) -> None:
        """A record that cannot be written (a full disk) is dropped: logging's default prints a
        traceback on the user's terminal, which a message must never carry (contracts §3)."""


def configure_file_logging(data_dir: Path) -> Path | None:
    """Log to the data folder when it exists; a missing folder is not created just to log."""
    if not data_dir.is_dir():
        return None
    path = log_path(data_dir)
    try:
        handler = _LazyFileHandler(
            path, maxBytes=1_000_000, backupCount=3, encoding="utf-8", delay=True
        )
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return path
