"""The log-encounter service refuses records dated ahead (contracts §4) and numbers too large to
be real, whoever calls it: the app's pages, the tally counter and `tally-entry` all record
through it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from outreach_app.domain.clock import date_at_noon
from outreach_app.domain.errors import InvalidInput
from outreach_app.domain.values import EncounterDraft
from outreach_app.services import encounter_list, encounters
from outreach_app.services.encounter_list import EncounterFilter
from outreach_app.services.store import Store


def tally(when: datetime) -> EncounterDraft:
    return EncounterDraft(site="Drop-in", occurred_at=when, is_tally=True, contacts=3)


def count(store: Store) -> int:
    with store.unit_of_work() as uow:
        return encounter_list.count_encounters(uow, EncounterFilter())


def test_a_date_after_tomorrow_is_refused_and_tomorrow_accepted(store: Store) -> None:
    with store.unit_of_work() as uow:
        tomorrow = uow.today() + timedelta(days=1)
    with (
        pytest.raises(InvalidInput, match="is after tomorrow") as refused,
        store.unit_of_work() as uow,
    ):
        encounters.log_encounter(uow, tally(date_at_noon(tomorrow + timedelta(days=1), uow.zone)))
    assert refused.value.message.startswith("Nothing was saved: ")
    assert count(store) == 0
    with store.unit_of_work() as uow:
        encounters.log_encounter(uow, tally(date_at_noon(tomorrow, uow.zone)))
    assert count(store) == 1


def test_a_date_time_more_than_a_day_ahead_of_the_clock_is_refused(store: Store) -> None:
    now = datetime.now(UTC).replace(microsecond=123)  # never exactly noon: a date-time
    with (
        pytest.raises(InvalidInput, match="more than a day ahead of this computer's clock"),
        store.unit_of_work() as uow,
    ):
        encounters.log_encounter(uow, tally(now + timedelta(hours=25)))
    assert count(store) == 0
    with store.unit_of_work() as uow:
        encounters.log_encounter(uow, tally(now + timedelta(hours=23)))
        encounters.log_encounter(uow, tally(now - timedelta(days=400)))
    assert count(store) == 2


def test_a_quantity_too_large_to_be_real_is_refused(store: Store) -> None:
    when = datetime(2026, 10, 1, 16, tzinfo=UTC)
    draft = EncounterDraft(site="Drop-in", occurred_at=when, items={"SYRINGE": 3_000_000_000})
    with (
        pytest.raises(InvalidInput, match="cannot be more than 1,000,000"),
        store.unit_of_work() as uow,
    ):
        encounters.log_encounter(uow, draft, override=True)
    assert count(store) == 0
