"""The small-cell rule of contracts §8, on hand-made cells."""

from __future__ import annotations

import pytest

from outreach_app.domain.suppression import (
    is_suppressible,
    ratio_text,
    suppress,
    tally_breakdowns,
)


def test_small_counts_show_as_below_threshold_and_zero_stays_zero() -> None:
    values = {"a": 0, "b": 1, "c": 4, "d": 5, "e": 12}
    shown = suppress(values, values, [], 5)
    assert shown == {"a": "0", "b": "<5", "c": "<5", "d": "5", "e": "12"}


def test_threshold_is_configurable_and_at_least_two() -> None:
    assert suppress({"a": 2, "b": 1}, ["a", "b"], [], 3) == {"a": "<3", "b": "<3"}
    assert suppress({"a": 2, "b": 1}, ["a", "b"], [], 2) == {"a": "2", "b": "<2"}
    with pytest.raises(ValueError):
        suppress({"a": 1}, ["a"], [], 1)


def test_cells_not_suppressible_are_shown() -> None:
    assert suppress({"qty": 3, "n": 3}, ["n"], [], 5) == {"qty": "3", "n": "<5"}


def test_one_hidden_cell_in_a_breakdown_hides_the_next_smallest() -> None:
    values = {"x": 2, "y": 9, "z": 7, "w": 0}
    shown = suppress(values, values, [["x", "y", "z", "w"]], 5)
    assert shown == {"x": "<5", "y": "9", "z": "*", "w": "0"}


def test_ties_go_to_the_earlier_cell() -> None:
    values = {"x": 1, "y": 8, "z": 8}
    assert suppress(values, values, [["x", "y", "z"]], 5) == {"x": "<5", "y": "*", "z": "8"}


def test_two_hidden_cells_need_nothing_more() -> None:
    values = {"x": 1, "y": 3, "z": 20}
    assert suppress(values, values, [["x", "y", "z"]], 5) == {"x": "<5", "y": "<5", "z": "20"}


def test_other_cells_all_zero_need_nothing_more() -> None:
    values = {"x": 3, "y": 0, "z": 0}
    assert suppress(values, values, [["x", "y", "z"]], 5) == {"x": "<5", "y": "0", "z": "0"}


def test_complementary_cell_cascades_into_a_second_breakdown() -> None:
    # site A's age rows; and the site rows of age:30-39 across sites A and B
    values = {"A:20": 2, "A:30": 6, "B:30": 9, "B:20": 11}
    groups = [["A:20", "A:30"], ["B:20", "B:30"], ["A:30", "B:30"], ["A:20", "B:20"]]
    shown = suppress(values, values, groups, 5)
    # A:20 <5 -> A:30 * (age rows of A) and B:20 * (site rows of age 20)
    # -> B's age rows have one hidden cell (B:20) -> B:30 * too
    assert shown == {"A:20": "<5", "A:30": "*", "B:30": "*", "B:20": "*"}


def test_which_figures_are_counts_of_people() -> None:
    assert is_suppressible("summary", "encounters")
    assert is_suppressible("summary", "voided_encounters")
    assert not is_suppressible("summary", "syringes_distributed")
    assert not is_suppressible("summary", "naloxone_doses")
    assert is_suppressible("referrals", "HOUSING")
    assert is_suppressible("demographics", "age:30-39")
    assert is_suppressible("naloxone", "reason:FIRST")
    assert not is_suppressible("naloxone", "kits:NALOXONE-NASAL")
    assert not is_suppressible("items", "SYRINGE")
    assert not is_suppressible("kits", "KIT-INJECT")


def test_breakdowns_of_a_tally() -> None:
    keys = [
        ("summary", "ALL", "encounters"),
        ("demographics", "ALL", "age:20-29"),
        ("demographics", "ALL", "gender:man"),
        ("summary", "S1", "encounters"),
        ("items", "S1", "SYRINGE"),
        ("demographics", "S1", "age:20-29"),
        ("demographics", "S1", "age:30-39"),
        ("naloxone", "S1", "reason:FIRST"),
        ("summary", "S2", "encounters"),
        ("items", "S2", "SYRINGE"),
    ]
    groups = sorted(sorted(g) for g in tally_breakdowns(keys))
    assert [("summary", "S1", "encounters"), ("summary", "S2", "encounters")] in groups
    assert [("demographics", "S1", "age:20-29"), ("demographics", "S1", "age:30-39")] in groups
    assert [("demographics", "ALL", "age:20-29")] in groups
    assert [("naloxone", "S1", "reason:FIRST")] in groups
    assert not any(("items", "S1", "SYRINGE") in g for g in groups)
    one_site = [k for k in keys if k[1] == "S1"]
    assert not any(len({k[1] for k in g}) > 1 for g in tally_breakdowns(one_site))


@pytest.mark.parametrize(
    ("returned", "given", "text"),
    [
        (75, 100, "0.75"),
        (95, 140, "0.68"),
        (10, 50, "0.20"),
        (1, 3, "0.33"),
        (2, 3, "0.67"),
        (1, 8, "0.13"),
        (30, 10, "3.00"),
        (5, 0, ""),
        (0, 0, ""),
        (0, 7, "0.00"),
    ],
)
def test_return_ratio_has_two_decimals_and_is_blank_without_syringes(
    returned: int, given: int, text: str
) -> None:
    assert ratio_text(returned, given) == text


def test_day_bars_hide_small_days_and_the_next_smallest_when_alone() -> None:
    from outreach_app.domain.suppression import day_bars

    # One small day (3) would be the total minus the others: the 7 is hidden with it.
    assert day_bars([0, 3, 12, 7, 20], 5) == ([0, 0, 12, 0, 20], [0, 5, 0, 5, 0])
    # Two small days hide each other; zero days stay empty.
    assert day_bars([2, 0, 1, 9], 5) == ([0, 0, 0, 9], [5, 0, 5, 0])
    assert day_bars([2, 0, 1, 9], None) == ([2, 0, 1, 9], [0, 0, 0, 0])
