"""CSV as contracts §3 fixes it: UTF-8 without BOM, RFC 4180 (CRLF line ends), plain integers."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence


def to_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if cell is None else cell for cell in row])
    return buffer.getvalue().encode("utf-8")
