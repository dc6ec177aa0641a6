"""`staff`, `--staff`, `audit` and `cards` from the real command line (contracts §10)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from tests.cli.conftest import Runner, Target

NEW_PIN = "864209"  # synthetic


def test_staff_add_act_as_and_a_refusal_naming_the_role(outreach: Runner, target: Target) -> None:
    added = outreach(
        "staff", "add", "ZZ Sam", "--role", "worker", at=target, OUTREACH_NEW_PIN=NEW_PIN
    )
    assert added.code == 0, added.err
    listed = outreach("staff", "--csv", at=target)
    rows = list(csv.reader(io.StringIO(listed.out)))
    assert rows[0] == ["staff_id", "name", "role", "active", "created_at"]
    assert [(r[1], r[2], r[3]) for r in rows[1:]] == [
        ("Coordinator", "coordinator", "yes"),
        ("ZZ Sam", "worker", "yes"),
    ]
    refused = outreach(
        "--staff", "ZZ Sam", "receive", "--site", "Drop-in", "--item", "SYRINGE", "--qty", "5",
        at=target, OUTREACH_PIN="000000",
    )  # fmt: skip
    assert refused.code == 1 and "not ZZ Sam's PIN" in refused.err
    as_sam = ["--staff", "zz sam"]
    adjust = outreach(
        *as_sam, "count", "--site", "Drop-in", "SYRINGE=0", at=target, OUTREACH_PIN=NEW_PIN
    )
    assert adjust.code == 0, adjust.err  # a worker counts without a coordinator
    purge_like = outreach(
        *as_sam, "report", "monthly", "--month", "2026-10", "--out", str(target.data_dir / "x.pdf"),
        "--no-suppress", at=target, OUTREACH_PIN=NEW_PIN,
    )  # fmt: skip
    assert purge_like.code == 1
    assert "ZZ Sam is a worker and only a coordinator may make a report" in purge_like.err
    assert not (target.data_dir / "x.pdf").exists()
    log = outreach("audit", "--csv", at=target)
    table = list(csv.reader(io.StringIO(log.out)))
    assert table[0] == ["at", "device", "staff", "action", "summary", "records", "entry_hash"]
    assert ("ZZ Sam", "stocktake") in {(r[2], r[3]) for r in table[1:]}


def test_init_makes_the_first_coordinator_and_cards_print(outreach: Runner, tmp_path: Path) -> None:
    folder = tmp_path / "new"
    done = outreach(
        "init", "--org", "ZZ Org", "--site", "Drop-in", "--no-encryption", "--coordinator",
        "ZZ Lead", data_dir=folder, OUTREACH_NEW_PIN=NEW_PIN,
    )  # fmt: skip
    assert done.code == 0, done.err
    listed = outreach("staff", data_dir=folder)
    assert listed.out.strip() == "ZZ Lead: coordinator"
    cards = outreach("cards", "--count", "3", "--out", str(tmp_path / "c.pdf"), data_dir=folder)
    assert cards.code == 0 and (tmp_path / "c.pdf").read_bytes().startswith(b"%PDF")
    own = tmp_path / "own"
    outreach(
        "init", "--org", "ZZ", "--site", "S", "--no-encryption", "--codes", "own", data_dir=own
    )
    refused = outreach("cards", "--count", "3", "--out", str(tmp_path / "d.pdf"), data_dir=own)
    assert refused.code == 1 and "its own participant codes" in refused.err
    assert (
        "without a PIN yet"
        in outreach(
            "init", "--org", "ZZ", "--site", "S", "--no-encryption", data_dir=tmp_path / "nopin"
        ).err
    )
