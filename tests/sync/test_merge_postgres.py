"""The merge core on a real PostgreSQL hub: what the hub sync builds on (records in, counts out).

Two folders of one organisation work apart; the hub (joined by invitation, holding no secret)
takes each device's records through `merge`, in one order and then again: it ends with the same
reports as a folder that merged the same records by bundle files, and `check` clean.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from outreach_app.domain.clock import Period, local_date
from outreach_app.services.store import Store, open_store
from outreach_app.sync.merge import Incoming, merge
from outreach_app.sync.records import device_rows, org_settings, records_since, shared_rows
from tests import pg_cluster
from tests.sync.devices import _quick_join_codes, make_devices
from tests.sync.work import export, log, merge_files, now_minus, problems, receive, reports, void


@pytest.fixture
def empty_pg(pg: pg_cluster.Cluster) -> Iterator[str]:
    name = f"hub_{uuid.uuid4().hex[:12]}"
    pg.execute(f"CREATE DATABASE {name}")
    yield pg.url(name)
    pg.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _everything(store: Store) -> Incoming:
    """What a device would push to the hub: its devices, settings, shared rows and records."""
    with store.reading() as uow:
        conn = uow.session.connection()
        return Incoming(
            devices=device_rows(conn),
            settings=org_settings(conn),
            records=[*shared_rows(conn), *records_since(conn, {}, everything=True)],
        )


def test_the_hub_merges_like_a_device(
    template_folders: dict[str, Path], tmp_path: Path, empty_pg: str
) -> None:
    from outreach_app.sync.joining import join, make_invitation, read_invitation

    a_member, b_member = make_devices(template_folders["sqlite"], tmp_path, ["A", "B"])
    a, b = a_member.open(), b_member.open()
    with _quick_join_codes():
        made = make_invitation(a, tmp_path / "hub.invite")
        join(tmp_path / "hub-logs", read_invitation(made.path, made.join_code),
             device_name="Hub", db_url=empty_pg)  # fmt: skip
    hub = open_store(tmp_path / "hub-logs", db_url=empty_pg)
    try:
        receive(a, "SYRINGE", 80)
        first = log(a, now_minus(a, hours=3), {"SYRINGE": 6}, kits={"KIT-INJECT": 1}, code="ZZ-9")
        merge_files(b, export(a, tmp_path / "a.bundle"))
        void(b, first)
        log(b, now_minus(b, hours=2), {"CONDOM": 4}, referrals=("TESTING",))
        merge_files(a, export(b, tmp_path / "b.bundle"))

        with hub.unit_of_work() as uow:  # B first (with what it merged from A)
            counts = merge(uow, _everything(b))
        with hub.unit_of_work() as uow:
            merge(uow, _everything(a))
        with hub.unit_of_work() as uow:  # everything again: nothing new
            again = merge(uow, _everything(a))
        assert counts.total("added") > 0
        assert again.total("added") == 0 and again.total("quarantined") == 0
        day = local_date(now_minus(a, hours=3), a.zone)
        month = Period.month(day.year, day.month)
        assert reports(hub, month) == reports(a, month)
        assert problems(hub) == []
    finally:
        for store in (a, b, hub):
            store.close()
