"""Saving a report: the system's save dialog behind a seam tests replace, and a write that
leaves no half-written file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget


class SaveFileDialog:
    @classmethod
    def ask(
        cls, parent: QWidget | None, caption: str, suggested: Path, pattern: str
    ) -> Path | None:
        """The file chosen, or None when cancelled. `pattern` is a Qt filter ("PDF (*.pdf)")."""
        name, _chosen = QFileDialog.getSaveFileName(parent, caption, str(suggested), pattern)
        if not name:
            return None
        path = Path(name)
        wanted = pattern.rsplit("*", 1)[-1].rstrip(")")  # ".pdf"
        return path if path.suffix.lower() == wanted else path.with_name(path.name + wanted)


def write_file(path: Path, data: bytes) -> None:
    """Through a temporary file beside the target, so a failed write leaves no half file."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
