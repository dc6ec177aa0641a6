"""Renders `outreach_app/resources/icons/outreach-tally.svg` into the icon files the builds use.

    QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/make_icon.py

writes, beside the SVG, `outreach-tally-<N>.png` (the Linux desktop entry and the window icon),
`outreach-tally.ico` (Windows: PyInstaller's EXE and the Inno Setup script) and
`outreach-tally.icns` (macOS: the spec's BUNDLE). The outputs are committed, so a build needs
neither this script nor Qt's SVG module; run it again after changing the SVG. ICO and ICNS are
written here (PNG images inside each container, as Windows Vista and later and macOS 10.7 and
later read them) rather than by Pillow, which the project does not depend on.
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parents[1] / "outreach_app" / "resources" / "icons"
SVG = ICONS / "outreach-tally.svg"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# ICNS element types that hold PNG data, with their pixel size (Apple's "icns" format).
ICNS_TYPES = (
    (b"icp4", 16),
    (b"icp5", 32),
    (b"ic11", 32),  # 16 @2x
    (b"icp6", 64),
    (b"ic12", 64),  # 32 @2x
    (b"ic07", 128),
    (b"ic08", 256),
    (b"ic13", 256),  # 128 @2x
    (b"ic09", 512),
    (b"ic14", 512),  # 256 @2x
    (b"ic10", 1024),  # 512 @2x
)


def render(renderer: QSvgRenderer, size: int) -> bytes:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def ico(pngs: dict[int, bytes]) -> bytes:
    """An ICO file (ICONDIR, one ICONDIRENTRY per size, then the PNG images)."""
    header = struct.pack("<HHH", 0, 1, len(pngs))
    offset = len(header) + 16 * len(pngs)
    entries, images = b"", b""
    for size, png in pngs.items():
        side = size % 256  # 0 means 256
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset)
        images += png
        offset += len(png)
    return header + entries + images


def icns(pngs: dict[int, bytes]) -> bytes:
    body = b"".join(
        kind + struct.pack(">I", 8 + len(pngs[size])) + pngs[size] for kind, size in ICNS_TYPES
    )
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        print(f"cannot read {SVG}", file=sys.stderr)
        return 1
    sizes = sorted(set(PNG_SIZES) | set(ICO_SIZES) | {size for _kind, size in ICNS_TYPES})
    pngs = {size: render(renderer, size) for size in sizes}
    for size in PNG_SIZES:
        (ICONS / f"outreach-tally-{size}.png").write_bytes(pngs[size])
    (ICONS / "outreach-tally.ico").write_bytes(ico({size: pngs[size] for size in ICO_SIZES}))
    (ICONS / "outreach-tally.icns").write_bytes(icns(pngs))
    del app
    print(
        f"wrote {len(PNG_SIZES)} PNG sizes, outreach-tally.ico and outreach-tally.icns in {ICONS}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
