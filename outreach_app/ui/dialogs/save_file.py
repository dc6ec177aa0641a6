"""Choosing where to save a report: the system's save dialog behind a seam tests replace."""

from __future__ import annotations

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
