"""`outreach sync` in a subprocess, against the session's PostgreSQL cluster: each refusal with
the exit code of contracts §3/§9 and a message saying what to do, the password never on the
command line nor stored, an interrupted sync, a revoked device, and the read-only commands run
on the hub itself.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from outreach_app.services import devices
from outreach_app.services.store import open_store
from outreach_app.storage.models import Setting
from tests.conftest import PASSPHRASE
from tests.pg_cluster import Cluster
from tests.storage.helpers import REPO
from tests.sync.hub_org import Killer, Org, make_org, new_database

pytestmark = [pytest.mark.postgres, pytest.mark.slow]
LOGIN_PASSWORD = "zz-hub-login-not-real-7d1"


def outreach(
    folder: Path, *args: str, env: dict[str, str] | None = None, db_url: str | None = None
) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("PG", "OUTREACH_"))}
    base["OUTREACH_PASSPHRASE"] = PASSPHRASE
    command = [sys.executable, "-m", "outreach_app", "--data-dir", str(folder)]
    if db_url:
        command += ["--db-url", db_url]
    return subprocess.run(
        [*command, *args],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env={**base, **(env or {})},
        cwd=REPO,
        timeout=180,
        check=False,
    )


def _no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr


@pytest.fixture
def pair(template_folders: dict[str, Path], pg: Cluster, tmp_path: Path) -> Iterator[Org]:
    made = make_org(template_folders["sqlite"], pg, tmp_path, others=())
    for store in made.stores.values():
        store.close()  # the commands below open the folder themselves
    yield made
    made.pg.execute(f"DROP DATABASE IF EXISTS {made.hub_db} WITH (FORCE)")


def test_unreachable_hub_is_exit_3(pair: Org) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = outreach(pair.folders["A"], "sync", "--hub", f"postgresql://zz@127.0.0.1:{port}/hub")
    assert result.returncode == 3, result.stderr
    assert "cannot be reached" in result.stderr
    _no_traceback(result)


def test_another_organisations_database_is_exit_1(pair: Org, pg_url: str) -> None:
    result = outreach(pair.folders["A"], "sync", "--hub", pg_url)  # its own `init --org`
    assert result.returncode == 1, result.stderr
    assert "belongs to another organisation" in result.stderr
    _no_traceback(result)


def test_a_database_not_joined_is_exit_1_saying_how(pair: Org, pg: Cluster) -> None:
    name, url = new_database(pg, "empty")
    try:
        result = outreach(pair.folders["A"], "sync", "--hub", url)
    finally:
        pg.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    assert result.returncode == 1, result.stderr
    assert "init --join FILE" in result.stderr
    _no_traceback(result)


def test_no_hub_yet_and_a_password_in_the_address_are_refused(pair: Org) -> None:
    result = outreach(pair.folders["A"], "sync")
    assert result.returncode == 1
    assert "--hub" in result.stderr
    secret = "zz-typed-secret"
    for url in (
        f"postgresql://zz:{secret}@127.0.0.1/hub",
        f"postgresql://zz@127.0.0.1/hub?password={secret}",
    ):
        result = outreach(pair.folders["A"], "sync", "--hub", url)
        assert result.returncode == 2, result.stderr
        assert "PGPASSWORD" in result.stderr
        assert secret not in result.stderr + result.stdout


@pytest.fixture
def login(pair: Org) -> Iterator[str]:
    """A PostgreSQL login that needs a password (the cluster trusts everyone else): a line
    of our own at the top of pg_hba.conf, for this role only."""
    role = f"zz_sync_{os.getpid()}"
    hba = pair.pg.data / "pg_hba.conf"
    line = f"host all {role} 127.0.0.1/32 scram-sha-256\n"
    text = hba.read_text()
    if line not in text:
        hba.write_text(line + text)
    pair.pg.execute(f"DROP ROLE IF EXISTS {role}")
    pair.pg.execute(f"CREATE ROLE {role} LOGIN PASSWORD '{LOGIN_PASSWORD}'")
    with pair.psql() as conn:
        conn.execute("SELECT pg_reload_conf()")
        conn.execute(f"GRANT ALL ON ALL TABLES IN SCHEMA public TO {role}")  # type: ignore[arg-type]
        conn.execute(f"GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO {role}")  # type: ignore[arg-type]
        conn.commit()
    yield f"postgresql://{role}@127.0.0.1:{pair.pg.port}/{pair.hub_db}"
    pair.pg.execute(f"DROP DATABASE IF EXISTS {pair.hub_db} WITH (FORCE)")
    pair.pg.execute(f"DROP ROLE IF EXISTS {role}")


def test_the_password_comes_from_the_environment_or_pgpass_and_is_never_kept(
    pair: Org, login: str, tmp_path: Path
) -> None:
    folder = pair.folders["A"]
    result = outreach(folder, "sync", "--hub", login)
    assert result.returncode == 3, result.stderr
    assert "refused the login" in result.stderr and "PGPASSWORD" in result.stderr
    result = outreach(folder, "sync", "--hub", login, env={"PGPASSWORD": "zz-wrong"})
    assert result.returncode == 3
    assert "refused the login" in result.stderr
    result = outreach(folder, "sync", "--hub", login, env={"PGPASSWORD": LOGIN_PASSWORD})
    assert result.returncode == 0, result.stderr
    assert "Synced with postgresql://zz_sync_" in result.stdout
    # Next time: the remembered address, the password from ~/.pgpass (libpq reads it).
    passfile = tmp_path / "pgpass"
    passfile.write_text(f"127.0.0.1:{pair.pg.port}:{pair.hub_db}:*:{LOGIN_PASSWORD}\n")
    passfile.chmod(0o600)
    result = outreach(folder, "sync", env={"PGPASSFILE": str(passfile)})
    assert result.returncode == 0, result.stderr
    assert "Records sent: 0; received: 0." in result.stdout
    local = open_store(folder)
    try:
        with local.reading() as uow:
            kept = {s.key: s.value for s in uow.session.scalars(select(Setting))}
    finally:
        local.close()
    hub_urls = [v for k, v in kept.items() if k.startswith("hub_url:")]
    assert hub_urls == [login.replace("postgresql://", "postgresql+psycopg://")]
    for path in [folder / "outreach.db", *folder.rglob("*.log")]:
        assert LOGIN_PASSWORD.encode() not in path.read_bytes(), path


def test_a_killed_sync_says_so_and_the_next_one_finishes(pair: Org) -> None:
    folder = pair.folders["A"]
    receive = ("receive", "--site", "Drop-in", "--item", "SYRINGE", "--qty", "9")
    assert outreach(folder, *receive).returncode == 0
    command = [sys.executable, "-m", "outreach_app", "--data-dir", str(folder)]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PG", "OUTREACH_"))}
    with Killer(pair) as killer:
        killer.arm()  # the first batch waits on our lock, mid-transaction, and is killed
        child = subprocess.Popen(
            [*command, "sync", "--hub", pair.hub_url],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=REPO,
        )
        argv = Path(f"/proc/{child.pid}/cmdline").read_bytes()
        _out, err = child.communicate(timeout=120)
    assert killer.killed
    assert b"password" not in argv.lower()
    assert child.returncode == 3, err
    assert "lost during the sync" in err
    hub = pair.open_hub()
    try:
        with hub.reading() as uow:
            names = set(uow.session.scalars(select(Setting.key)))
    finally:
        hub.close()
    assert names  # the hub is intact
    result = outreach(folder, "sync")
    assert result.returncode == 0, result.stderr
    assert "stock_movements: 1 pushed" in result.stdout
    again = outreach(folder, "sync")
    assert "Records sent: 0; received: 0." in again.stdout


def test_read_only_commands_run_on_the_hub_and_match_the_device(pair: Org, tmp_path: Path) -> None:
    folder, hub = pair.folders["A"], pair.hub_url
    logs = pair.root / "hub-logs"
    receive = ("receive", "--site", "Drop-in", "--item", "SYRINGE", "--qty", "90")
    assert outreach(folder, *receive).returncode == 0
    tally = ("--site", "Drop-in", "--date", "2026-11-02", "--contacts", "3", "SYRINGE=12")
    assert outreach(folder, "tally-entry", *tally).returncode == 0
    assert outreach(folder, "sync", "--hub", hub).returncode == 0
    for args in (
        ("report", "monthly", "--month", "2026-11", "--out", "{d}/m.pdf", "--csv", "{d}/m.csv"),
        ("report", "inventory", "--month", "2026-11", "--out", "{d}/i.pdf", "--csv", "{d}/i.csv"),
    ):
        outs = {}
        for where, url in (("device", None), ("hub", hub)):
            target = tmp_path / where
            target.mkdir(exist_ok=True)
            result = outreach(
                logs if url else folder, *(a.format(d=target) for a in args), db_url=url
            )
            assert result.returncode == 0, result.stderr
            outs[where] = (target / Path(args[-1]).name).read_bytes()
        assert outs["device"] == outs["hub"]
    on_device = outreach(folder, "stock", "--csv")
    on_hub = outreach(logs, "stock", "--csv", db_url=hub)
    assert on_hub.returncode == 0 and on_hub.stdout == on_device.stdout
    checked = outreach(logs, "check", db_url=hub)
    assert checked.returncode == 0, checked.stdout
    # What needs the organisation's secret is refused on the hub, with a message.
    sheet = tmp_path / "zz.csv"
    sheet.write_text("occurred_at,site,participant_code,SYRINGE\n2026-11-03,Drop-in,ZZ-1,1\n")
    refused = outreach(logs, "import-csv", str(sheet), db_url=hub)
    assert refused.returncode == 1
    assert "hub" in refused.stderr and "secret" in refused.stderr
    _no_traceback(refused)


def test_a_revoked_device_is_quarantined_on_the_hub_and_told_about_logins(
    template_folders: dict[str, Path], pg: Cluster, tmp_path: Path
) -> None:
    org = make_org(template_folders["sqlite"], pg, tmp_path, others=("C",))
    with org.stores["C"].reading() as uow:
        fingerprint = devices.this_device(uow).fingerprint
    for store in org.stores.values():
        store.close()
    a, c = org.folders["A"], org.folders["C"]
    try:
        assert outreach(c, "sync", "--hub", org.hub_url).returncode == 0
        assert outreach(a, "sync", "--hub", org.hub_url).returncode == 0
        revoked = outreach(a, "devices", "revoke", fingerprint)
        assert revoked.returncode == 0, revoked.stderr
        told = outreach(a, "sync")
        assert told.returncode == 0, told.stderr
        assert "now knows that C is revoked" in told.stderr
        assert "PostgreSQL login" in told.stderr
        receive = ("receive", "--site", "Drop-in", "--item", "SYRINGE", "--qty", "5")
        assert outreach(c, *receive).returncode == 0
        late = outreach(c, "sync")
        assert late.returncode == 0, late.stderr
        assert "This device is revoked" in late.stderr
        assert "stock_movements: 0 pushed" in late.stdout and "1 quarantined" in late.stdout
    finally:
        org.pg.execute(f"DROP DATABASE IF EXISTS {org.hub_db} WITH (FORCE)")
