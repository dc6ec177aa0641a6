"""Progress of a long command on a terminal: one line on stderr, rewritten in place.

Only when stderr is a terminal: a script reading stderr, or a log, gets the messages alone.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

from outreach_app.i18n import N_, _, format_number

STAGES = {
    "checking": N_("Checking rows"),
    "writing": N_("Writing rows"),
    "pushing": N_("Sending to the hub"),
    "pulling": N_("Receiving from the hub"),
}


class TerminalProgress:
    """A `progress(stage, done, total)` callable for the services (see `services.importer`)."""

    def __init__(self, stream: TextIO, every: float = 0.1) -> None:
        self._stream = stream
        self._every = every
        self._last = 0.0
        self._shown = False

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self._last < self._every:
            return  # a terminal redrawn 10 times a second is enough
        self._last = now
        share = done * 100 // total if total else 100
        line = _(
            "{stage}: {done} of {total} ({share}%)",
            stage=_(STAGES.get(stage, stage)),
            done=format_number(done),
            total=format_number(total),
            share=share,
        )
        self._stream.write(f"\r{line}   ")
        self._stream.flush()
        self._shown = True

    def finish(self) -> None:
        """Ends the line, so the next message starts on its own."""
        if self._shown:
            self._stream.write("\n")
            self._stream.flush()
            self._shown = False


def terminal_progress(stream: TextIO | None = None) -> TerminalProgress | None:
    stream = stream or sys.stderr
    return TerminalProgress(stream) if stream.isatty() else None
