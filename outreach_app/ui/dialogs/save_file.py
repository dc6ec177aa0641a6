"""Saving a report: the system's save dialog behind a seam tests replace, and a write that
leaves no half-written file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from outreach_app.ui.widgets.modal import run_modal


class SaveFileDialog:
    @classmethod
    def ask(
        cls, parent: QWidget | None, caption: str, suggested: Path, pattern: str
    ) -> Path | None:
        """The file chosen, or None when cancelled. `pattern` is a Qt filter ("PDF (*.pdf)")."""
        dialog = QFileDialog(parent, caption, str(suggested), pattern)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        # run_modal, not getSaveFileName: the idle lock hides the dialog without cancelling it
        if run_modal(dialog) != QDialog.DialogCode.Accepted or not dialog.selectedFiles():
            return None
        path = Path(dialog.selectedFiles()[0])
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
