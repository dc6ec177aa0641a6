"""The real `outreach check` command (`outreach_app.cli.main`, the `outreach` script's entry
point), run on request in one process that stays up between kill -9 trials.

A trial's judgement needs `check` after every kill; starting Python and importing the services
for each one costs about 0.8 s, more than the trial itself. This process reads one JSON request a
line on stdin, `{"argv": [...], "passphrase": str | null}`, runs `main(argv)` with its output
captured, and answers `{"code": int, "out": str}` on one line. Each request opens and closes the
store itself, as a new command would.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import sys


def serve() -> None:
    from outreach_app.cli import main

    answer = sys.stdout
    for line in sys.stdin:
        request = json.loads(line)
        os.environ.pop("OUTREACH_PASSPHRASE", None)
        if request.get("passphrase"):
            os.environ["OUTREACH_PASSPHRASE"] = request["passphrase"]
        root = logging.getLogger()
        handlers = list(root.handlers)
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            code = main(request["argv"])
        for handler in root.handlers[:]:  # the log file of that folder: not the next one's
            if handler not in handlers:
                root.removeHandler(handler)
                handler.close()
        answer.write(json.dumps({"code": code, "out": out.getvalue()}) + "\n")
        answer.flush()


if __name__ == "__main__":
    serve()
