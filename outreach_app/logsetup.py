"""The log file in the data folder. Tracebacks go here, never to the user's terminal.

Nothing logged carries participant codes or notes: engines hide bound parameters and the
services log only counts, codes of supplies and ids.
"""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

LOG_NAME = "outreach.log"


def log_path(data_dir: Path) -> Path:
    return data_dir / "logs" / LOG_NAME


def configure_file_logging(data_dir: Path) -> Path | None:
    """Log to the data folder when it exists; a missing folder is not created just to log."""
    if not data_dir.is_dir():
        return None
    path = log_path(data_dir)
    try:
        path.parent.mkdir(exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return path
