"""`invite`, `init --join`, `device`, `devices` and `devices revoke` from the real command line
(contracts §9): exit codes and messages as a coordinator or a script sees them."""

from __future__ import annotations

import csv
import io
import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import pg_cluster
from tests.cli.conftest import Result, Runner
from tests.conftest import ORG, PASSPHRASE

PIN = "802468"  # synthetic
CODE_LINE = re.compile(r"Join code: [0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}")
FINGERPRINT = re.compile(r"[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}")
HEADER = "device_id,name,fingerprint,joined_at,last_record_at,last_sync_at,revoked_at"


def _invite(outreach: Runner, folder: Path, out: Path) -> str:
    made = outreach("invite", "--out", out, data_dir=folder)
    assert made.code == 0, made.err
    last = made.err.strip().splitlines()[-1]
    assert CODE_LINE.fullmatch(last), made.err  # the last line on stderr, whole
    assert made.out == ""
    return last.removeprefix("Join code: ")


def _devices(outreach: Runner, folder: Path, **env: str) -> list[dict[str, str]]:
    listed = outreach("devices", "--csv", data_dir=folder, **env)
    assert listed.code == 0, listed.err
    assert listed.out.splitlines()[0] == HEADER
    return list(csv.DictReader(io.StringIO(listed.out)))


def _join(outreach: Runner, folder: Path, invitation: Path, code: str, *extra: str, **env: str):
    return outreach(
        "init", "--join", invitation, *extra, data_dir=folder, OUTREACH_JOIN_CODE=code, **env
    )


def test_invite_then_join_an_encrypted_folder(
    outreach: Runner, plain_folder: Path, tmp_path: Path
) -> None:
    invitation = tmp_path / "van.invite"
    code = _invite(outreach, plain_folder, invitation)
    assert ORG.encode() not in invitation.read_bytes()
    van = tmp_path / "van"
    wrong = _join(outreach, van, invitation, "AAAA-BBBB-CCCC-DDDD", passphrase=PASSPHRASE)
    assert wrong.code == 1
    assert wrong.err.startswith("The join code does not open this invitation.")
    assert not van.exists()

    joined = _join(
        outreach, van, invitation, code.lower(), "--device", "ZZ Van",
        passphrase=PASSPHRASE, OUTREACH_NEW_PIN=PIN,
    )  # fmt: skip
    assert joined.code == 0, joined.err
    said = re.fullmatch(
        rf"Joined {ORG} as ZZ Van \(fingerprint ({FINGERPRINT.pattern})\); data folder "
        rf"{re.escape(str(van))} \(encrypted\)\.\n",
        joined.err,
    )
    assert said, joined.err
    mine = said.group(1)

    shown = outreach("device", data_dir=van, passphrase=PASSPHRASE)
    assert shown.code == 0, shown.err
    lines = shown.out.splitlines()
    assert lines[0] == "Device: ZZ Van" and lines[2] == f"Fingerprint: {mine}"
    assert re.fullmatch(r"Id: [0-9a-f-]{36}", lines[1])
    assert re.fullmatch(rf"Organisation: {ORG} \([0-9a-f-]{{36}}\)", lines[3])
    rows = _devices(outreach, van, passphrase=PASSPHRASE)
    assert [(r["name"], r["fingerprint"] == mine) for r in rows] == [
        ("Test laptop", False),
        ("ZZ Van", True),
    ]
    assert all(r["last_sync_at"] == "" and r["revoked_at"] == "" for r in rows)
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", r["joined_at"]) for r in rows)
    assert rows[1]["last_record_at"] >= rows[1]["joined_at"]  # its "join" audit entry
    checked = outreach("check", data_dir=van, passphrase=PASSPHRASE)
    assert checked.code == 0, checked.out + checked.err
    # The inviter's own PIN works here for them, as the first coordinator.
    signed = outreach(
        "--staff", "Coordinator", "stock", data_dir=van, passphrase=PASSPHRASE, OUTREACH_PIN=PIN
    )
    assert signed.code == 0, signed.err

    # The same code again: another device, with its own identity.
    other = _join(outreach, tmp_path / "other", invitation, code, "--no-encryption")
    assert other.code == 0, other.err
    assert mine not in other.err and "(not encrypted)" in other.err
    # Secrets never reach a log file.
    for log in [*van.rglob("*.log"), *(tmp_path / "other").rglob("*.log")]:
        text = log.read_text(encoding="utf-8", errors="replace")
        assert code not in text and PASSPHRASE not in text


def test_join_refusals(outreach: Runner, plain_folder: Path, tmp_path: Path) -> None:
    code = _invite(outreach, plain_folder, tmp_path / "x.invite")
    new = tmp_path / "new"
    not_ours = tmp_path / "notes.txt"
    not_ours.write_text("not an invitation\n", encoding="utf-8")
    cases: list[tuple[Result, int, str]] = [
        (
            _join(outreach, new, not_ours, code, "--no-encryption"),
            1,
            "This is not an Outreach Tally invitation file.",
        ),
        (
            _join(outreach, new, tmp_path / "missing.invite", code, "--no-encryption"),
            1,
            "Cannot read",
        ),
        (
            outreach("init", "--join", tmp_path / "x.invite", "--no-encryption", data_dir=new),
            1,
            "Joining needs the invitation's join code: set OUTREACH_JOIN_CODE",
        ),
        (
            _join(outreach, new, tmp_path / "x.invite", "NOT-A-CODE", "--no-encryption"),
            1,
            "That is not a join code",
        ),
        (
            _join(outreach, plain_folder, tmp_path / "x.invite", code, "--no-encryption"),
            1,
            "is already initialised",
        ),
        (outreach("init", "--site", "Van", data_dir=new), 2, "required: --org (or --join FILE)"),
        (
            _join(outreach, new, tmp_path / "x.invite", code, "--org", "ZZ", "--codes", "own"),
            2,
            "--join takes the organisation from the invitation; leave out --org, --codes",
        ),
    ]
    for result, exit_code, words in cases:
        assert (result.code, words in result.err) == (exit_code, True), result.err
        assert "Traceback" not in result.err
    assert not new.exists()
    cut = tmp_path / "cut.invite"
    cut.write_bytes((tmp_path / "x.invite").read_bytes()[:-10])
    damaged = _join(outreach, new, cut, code, "--no-encryption")
    assert damaged.code == 1
    assert damaged.err.strip() == (
        "The invitation file is damaged or incomplete; ask for a new invitation."
    )


def test_a_worker_may_not_invite(outreach: Runner, plain_folder: Path, tmp_path: Path) -> None:
    added = outreach(
        "staff", "add", "ZZ Sam", "--role", "worker", data_dir=plain_folder, OUTREACH_NEW_PIN=PIN
    )
    assert added.code == 0, added.err
    refused = outreach(
        "--staff", "ZZ Sam", "invite", "--out", tmp_path / "x.invite",
        data_dir=plain_folder, OUTREACH_PIN=PIN,
    )  # fmt: skip
    assert refused.code == 1
    assert "ZZ Sam is a worker and only a coordinator may invite or revoke devices" in refused.err
    assert not (tmp_path / "x.invite").exists()
    nowhere = outreach("invite", "--out", tmp_path / "no" / "x.invite", data_dir=plain_folder)
    assert nowhere.code == 1 and "does not exist; nothing was written" in nowhere.err


def test_devices_revoke(outreach: Runner, plain_folder: Path, tmp_path: Path) -> None:
    code = _invite(outreach, plain_folder, tmp_path / "van.invite")
    van = tmp_path / "van"
    joined = _join(outreach, van, tmp_path / "van.invite", code, "--no-encryption")
    assert joined.code == 0, joined.err
    rows = {r["name"]: r for r in _devices(outreach, van)}
    laptop, mine = rows["Test laptop"]["fingerprint"], rows["This computer"]["fingerprint"]

    own = outreach("devices", "revoke", mine, data_dir=van)
    assert own.code == 1 and "a device cannot revoke itself" in own.err
    unknown = outreach("devices", "revoke", "0000-0000-0000-0000", data_dir=van)
    assert unknown.code == 1
    assert unknown.err.startswith("No device of this organisation has the fingerprint")
    bad = outreach("devices", "revoke", "laptop", data_dir=van)
    assert bad.code == 1 and "is not a fingerprint" in bad.err

    revoked = outreach("devices", "revoke", laptop.lower().replace("-", " "), data_dir=van)
    assert revoked.code == 0, revoked.err
    assert revoked.out.startswith(f"Revoked Test laptop ({laptop}): this device refuses")
    assert "also remove Test laptop's login on the hub's server" in revoked.err
    after = {r["name"]: r for r in _devices(outreach, van)}
    assert after["Test laptop"]["revoked_at"] != "" and after["This computer"]["revoked_at"] == ""
    again = outreach("devices", "revoke", laptop, data_dir=van)
    assert again.code == 1 and "Test laptop is already revoked" in again.err
    listed = outreach("devices", data_dir=van)
    assert f"{laptop}  Test laptop  (revoked " in listed.out
    assert f"{mine}  This computer  (this device)" in listed.out
    audit = outreach("audit", "--csv", data_dir=van)
    assert "device revoke" in audit.out
    assert outreach("check", data_dir=van).code == 0


@pytest.fixture
def empty_pg(pg: pg_cluster.Cluster) -> Iterator[str]:
    name = f"hub_{uuid.uuid4().hex[:12]}"
    pg.execute(f"CREATE DATABASE {name}")
    yield pg.url(name)
    pg.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_the_hub_joins_with_db_url(
    outreach: Runner, plain_folder: Path, tmp_path: Path, empty_pg: str
) -> None:
    code = _invite(outreach, plain_folder, tmp_path / "hub.invite")
    logs = tmp_path / "logs"
    hub = ["--db-url", empty_pg]
    joined = outreach(
        *hub, "init", "--join", tmp_path / "hub.invite", data_dir=logs, OUTREACH_JOIN_CODE=code
    )
    assert joined.code == 0, joined.err
    assert joined.err.startswith(f"The PostgreSQL database is now the hub of {ORG} (Hub, ")
    shown = outreach(*hub, "device", data_dir=logs)
    assert shown.code == 0 and "This is the organisation's hub." in shown.out
    assert [r["name"] for r in _devices_at(outreach, hub, logs)] == ["Test laptop", "Hub"]
    refused = outreach(*hub, "invite", "--out", tmp_path / "h.invite", data_dir=logs)
    assert refused.code == 1 and "it keeps no signing key" in refused.err
    again = outreach(
        *hub, "init", "--join", tmp_path / "hub.invite", data_dir=logs, OUTREACH_JOIN_CODE=code
    )
    assert again.code == 1 and "already has tables" in again.err
    assert outreach(*hub, "check", data_dir=logs).code == 0


def _devices_at(outreach: Runner, hub: list[str], logs: Path) -> list[dict[str, str]]:
    listed = outreach(*hub, "devices", "--csv", data_dir=logs)
    assert listed.code == 0, listed.err
    return list(csv.DictReader(io.StringIO(listed.out)))
