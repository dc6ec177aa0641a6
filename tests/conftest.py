"""Shared fixtures: real data stores on disk (SQLite, SQLCipher) and on a real PostgreSQL server.

Each backend is initialised once per test session as a template and copied per test, so a test
starts from a freshly seeded store in milliseconds. Fixture data is visibly synthetic.
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("OUTREACH_PASSPHRASE", None)
# Messages and reports follow the system's language (contracts §3): tests assert on the English
# texts, whatever the language of the machine they run on (the i18n tests choose theirs).
os.environ["LANGUAGE"] = "en"

from outreach_app.services.store import Store, open_store
from outreach_app.services.store_init import InitOptions, init_store
from tests import pg_cluster

settings.register_profile("ci", max_examples=50, deadline=None)
settings.register_profile("dev", max_examples=25, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

PASSPHRASE = "test-passphrase-not-real"
ORG = "Test Harm Reduction Org"
FIRST_SITE = "Drop-in"
TIMEZONE = "America/Toronto"
BACKENDS = ["sqlite", "sqlcipher", "postgres"]


def init_options(passphrase: str | None) -> InitOptions:
    return InitOptions(
        org=ORG,
        site=FIRST_SITE,
        site_kind="fixed",
        device="Test laptop",
        timezone=TIMEZONE,
        passphrase=passphrase,
        codes="own",  # the tests' codes are visibly synthetic (ZZ-TEST-01), not printed ones
    )


@pytest.fixture(autouse=True)
def own_choices(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test its own folder for the person's choices (language, high contrast), so what
    someone chose in the app on this computer changes no test, nor one test the next."""
    folder = tmp_path_factory.mktemp("choices")
    monkeypatch.setenv("OUTREACH_CONFIG_DIR", str(folder))
    return folder


@pytest.fixture(scope="session")
def template_folders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("templates")
    folders = {}
    for name, passphrase in (("sqlite", None), ("sqlcipher", PASSPHRASE)):
        folder = root / name
        init_store(folder, init_options(passphrase))
        folders[name] = folder
    return folders


@pytest.fixture
def plain_folder(template_folders: dict[str, Path], tmp_path: Path) -> Path:
    """An initialised, unencrypted data folder of this test's own."""
    target = tmp_path / "data-plain"
    shutil.copytree(template_folders["sqlite"], target)
    return target


@pytest.fixture
def encrypted_folder(template_folders: dict[str, Path], tmp_path: Path) -> Path:
    """An initialised data folder encrypted with PASSPHRASE."""
    target = tmp_path / "data-encrypted"
    shutil.copytree(template_folders["sqlcipher"], target)
    return target


@pytest.fixture(scope="session")
def pg(request: pytest.FixtureRequest) -> Iterator[pg_cluster.Cluster]:
    try:
        cluster = pg_cluster.start_cluster()
    except (FileNotFoundError, OSError) as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is required under CI but could not start: {exc}")
        pytest.skip(f"PostgreSQL not available here: {exc}")
    try:
        cluster.execute("CREATE DATABASE outreach_template")
        init_store(
            Path("/nonexistent-logs"), init_options(None), db_url=cluster.url("outreach_template")
        )
        yield cluster
    finally:
        cluster.stop()


_db_numbers = itertools.count()


@pytest.fixture
def pg_url(pg: pg_cluster.Cluster) -> Iterator[str]:
    """A fresh database copied from the migrated, seeded template."""
    name = f"t_{os.getpid()}_{next(_db_numbers)}"
    pg.execute(f"CREATE DATABASE {name} TEMPLATE outreach_template")
    yield pg.url(name)
    pg.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def store(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """An open, seeded store on each backend: SQLite, SQLCipher and PostgreSQL."""
    if backend == "postgres":
        url = request.getfixturevalue("pg_url")
        opened = open_store(tmp_path / "logs-only", db_url=url)
    elif backend == "sqlcipher":
        opened = open_store(request.getfixturevalue("encrypted_folder"), passphrase=PASSPHRASE)
    else:
        opened = open_store(request.getfixturevalue("plain_folder"))
    yield opened
    opened.close()


_postgres_passed: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "call" and report.passed and "postgres" in report.nodeid:
        _postgres_passed.append(report.nodeid)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    terminalreporter.write_line(f"PostgreSQL cases passed: {len(_postgres_passed)}")
