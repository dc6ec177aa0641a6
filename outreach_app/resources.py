"""Where bundled resources (default catalog, fonts, icons, message catalogues) live.

They sit inside the package (`outreach_app/resources/`), so a plain `pip install` carries them
as package data; a PyInstaller build unpacks them at the same relative place.
"""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    frozen = getattr(sys, "_MEIPASS", None)  # PyInstaller unpacks data files here
    if frozen:
        return Path(frozen) / "outreach_app" / "resources"
    return Path(__file__).resolve().parent / "resources"
