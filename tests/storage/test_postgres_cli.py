"""`--db-url`: the same commands on a real PostgreSQL database (the session's throwaway cluster)."""

from __future__ import annotations

import itertools
import os
import socket
from pathlib import Path

import pytest

from tests.pg_cluster import Cluster
from tests.storage.helpers import run_cli

pytestmark = pytest.mark.postgres
_numbers = itertools.count()


@pytest.fixture
def empty_pg_url(pg: Cluster) -> str:
    name = f"empty_{os.getpid()}_{next(_numbers)}"
    pg.execute(f"CREATE DATABASE {name}")
    return pg.url(name)


def test_init_receive_stock_check_on_postgres(empty_pg_url: str, tmp_path: Path) -> None:
    logs = tmp_path / "logs-dir"
    logs.mkdir()

    def cli(*args: str) -> tuple[int, str, str]:
        result = run_cli(logs, *args, db_url=empty_pg_url, passphrase="ignored-on-postgres")
        return result.returncode, result.stdout, result.stderr

    code, _, err = cli("init", "--org", "ZZ Test Org", "--site", "Hub", "--timezone", "UTC")
    assert code == 0, err
    assert "PostgreSQL" in err
    assert cli("receive", "--site", "Hub", "--item", "SYRINGE", "--qty", "250")[0] == 0
    code, out, err = cli(
        "receive", "--site", "Hub", "--item", "naloxone nasal", "--qty", "6",
        "--lot", "ZZ-LOT-9", "--expires", "2031-03-31",
    )  # fmt: skip
    assert code == 0, err
    code, out, _ = cli("stock", "--site", "Hub", "--csv")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "site,item_code,item_name,lot,expires,on_hand"
    assert any(line.startswith("Hub,SYRINGE,") and line.endswith(",,,250") for line in lines)
    assert any(
        "NALOXONE-NASAL" in line and line.endswith(",ZZ-LOT-9,2031-03-31,6") for line in lines
    )
    code, out, _ = cli("check")
    assert code == 0
    assert "No problems found." in out
    # init again: the database is not empty any more.
    code, _, err = cli("init", "--org", "ZZ Test Org", "--site", "Hub")
    assert code == 1
    assert "already has tables" in err


def test_init_on_a_database_with_tables_is_refused(pg_url: str, tmp_path: Path) -> None:
    result = run_cli(tmp_path, "init", "--org", "ZZ", "--site", "X", db_url=pg_url)
    assert result.returncode == 1
    assert "Nothing was changed" in result.stderr


def test_unreachable_server_is_exit_3(tmp_path: Path) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/nothing?connect_timeout=3"
    for args in (("stock",), ("init", "--org", "ZZ", "--site", "X")):
        result = run_cli(tmp_path, *args, db_url=url)
        assert result.returncode == 3, result.stderr
        assert "cannot be reached" in result.stderr
        assert "Traceback" not in result.stderr


def test_an_empty_database_is_not_initialised(empty_pg_url: str, tmp_path: Path) -> None:
    result = run_cli(tmp_path, "stock", db_url=empty_pg_url)
    assert result.returncode == 3
    assert "init" in result.stderr


def test_backup_and_restore_point_to_pg_dump(pg_url: str, tmp_path: Path) -> None:
    out = tmp_path / "copy.db"
    result = run_cli(tmp_path, "backup", "--out", str(out), db_url=pg_url)
    assert result.returncode == 1
    assert "pg_dump" in result.stderr
    assert not out.exists()
    some_file = tmp_path / "some.db"
    some_file.write_bytes(b"ZZ not a backup")
    result = run_cli(tmp_path, "restore", str(some_file), db_url=pg_url)
    assert result.returncode == 1
    assert "pg_dump" in result.stderr
