"""Honest summaries: counts stay whole and their intervals within their bounds, constants have no interval,
changes are in points, and money is set against the budget."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from simulation import Scenario
from simulation.cli.run import summary
from simulation.summaries import kind, points, show, show_summary, summarize


def test_a_small_count_never_gets_an_interval_below_zero() -> None:
    """The issue's case: initiatives active 0.800 [-0.560, 2.160] from a t-interval of 0, 0, 0, 1, 3."""
    s = summarize([0, 0, 0, 1, 3], "initiatives_active")
    assert s.mean == pytest.approx(0.8) and 0.0 <= s.low <= s.mean <= s.high <= 3.0
    assert show_summary(s, "initiatives_active").startswith("0.8  [0")


def test_counts_are_written_without_spurious_decimals() -> None:
    assert show(29.5, "bridging_ties") == "29.5" and show(0.0, "people_reached") == "0"
    assert show(1442.0, "people_reached") == "1,442" and show(120.25, "ties") == "120"
    assert kind("people_reached.training") == "count" and kind("cost_spent.training") == "money"
    assert show(0.1234, "community_result") == "0.123"


def test_a_constant_is_written_once_without_an_interval() -> None:
    """The issue's case: a fixed cost got an "interval" [386,560, 386,560]."""
    s = summarize([386_560.0] * 5, "cost_spent")
    assert s.constant and np.isnan(s.low)
    assert show_summary(s, "cost_spent") == "386,560 (every run)"
    assert show_summary(summarize([0.2], "community_result"), "community_result") == "0.200"  # one run


def test_shares_keep_to_their_range() -> None:
    s = summarize([0.0, 0.0, 0.01, 0.0], "engaged_share")
    assert 0.0 == s.low < s.high <= 1.0


def test_changes_are_in_points() -> None:
    assert points(0.04739) == "+4.74" and points(-0.00064) == "-0.06"


def test_the_run_summary_sets_money_against_the_budget() -> None:
    rows = []
    for r, (result, active, spent) in enumerate([(0.2, 0, 360_000.0), (0.22, 1, 360_000.0), (0.21, 3, 360_000.0)]):
        for month, values in ((0, (0.1, 0, 0.0)), (12, (result, active, spent))):
            for metric, value in zip(("community_result", "initiatives_active", "cost_spent"), values, strict=True):
                rows.append({"scenario": "leader", "replication": r, "seed": 1 + r, "month": month,
                             "metric": metric, "value": float(value)})
    table = pd.DataFrame(rows)
    run = {"replications": 3, "seed": 1, "workers": 1, "duration_seconds": 1.0}
    text = summary(table, Scenario(name="leader", budget=400_000), run)
    lines = {line.split("  ")[1].strip(): line for line in text.splitlines()[2:]}
    assert lines["cost spent"].endswith("360,000 (every run)  of a budget of 400,000 (90%; 40,000 unspent)")
    assert "[-" not in lines["initiatives active"] and " 1.3  [" in lines["initiatives active"]
    unbudgeted = summary(table, Scenario(name="leader"), run)
    assert "(no budget set)" in unbudgeted
