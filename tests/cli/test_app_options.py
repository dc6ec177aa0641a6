"""`outreach` with global options only opens the app without building every command's parser;
anything else reads exactly as the full command line says (cli/global_options.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from outreach_app.cli.global_options import app_options


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "outreach_app", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "LANGUAGE": "en", "QT_QPA_PLATFORM": ""},
    )


def test_global_options_alone_open_the_app(tmp_path: Path) -> None:
    found = app_options(["--data-dir", str(tmp_path), "--lang", "fr", "--staff", "Sam"])
    assert found is not None
    assert (found.command, found.data_dir, found.lang, found.staff) == (None, tmp_path, "fr", "Sam")
    assert app_options([]) is not None


@pytest.mark.parametrize(
    "argv",
    [
        ["receive", "--site", "Drop-in"],
        ["--data-dir", "x", "check"],
        ["--help"],
        ["-h"],
        ["--lang", "de"],
        ["--staff"],
        ["--no-such-option"],
        ["--", "check"],
    ],
)
def test_commands_help_and_mistakes_go_to_the_full_parser(argv: list[str]) -> None:
    assert app_options(argv) is None


def test_a_wrong_global_option_is_refused_with_the_full_usage() -> None:
    done = run("--lang", "de")
    assert done.returncode == 2
    assert "COMMAND" in done.stderr and "invalid choice: 'de'" in done.stderr


def test_help_still_lists_the_commands() -> None:
    done = run("--help")
    assert done.returncode == 0
    assert "import-csv" in done.stdout and "--data-dir" in done.stdout


def test_without_a_screen_the_app_explains_with_the_full_usage(tmp_path: Path) -> None:
    done = run("--data-dir", str(tmp_path))
    assert done.returncode == 2
    assert "COMMAND" in done.stderr and "no screen to show the app on" in done.stderr
