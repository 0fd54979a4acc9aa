"""Determinism and common random numbers."""

import pandas as pd
import pytest

from simulation import LeadershipModel, Scenario, run, wide
from simulation.core.streams import Streams


def test_same_scenario_and_seed_give_identical_tables(small):
    a = run(small, replications=2, seed=3)
    b = run(small, replications=2, seed=3)
    pd.testing.assert_frame_equal(a, b, check_exact=True)


def test_different_seeds_give_different_tables(small):
    a = wide(run(small, replications=1, seed=1))
    b = wide(run(small, replications=1, seed=2))
    assert not a["community_result"].equals(b["community_result"])
    assert not a["ties"].equals(b["ties"])


def test_person_views_do_not_change_the_numbers(small):
    with_views = LeadershipModel(small, rng=9, person_agents=True)
    without = LeadershipModel(small, rng=9, person_agents=False)
    with_views.run_for(small.months)
    without.run_for(small.months)
    len(with_views.agents)  # force the views to synchronise
    pd.testing.assert_frame_equal(with_views.metrics(), without.metrics(), check_exact=True)


@pytest.mark.parametrize("months", [16, 18, 4])
def test_recording_only_the_final_month_gives_the_same_final_row(months):
    """16 and 4: the structure measures of the final row come from an earlier month (12, 0); 18: from month 18."""
    scenario = Scenario(population={"people": 500}, months=months, budget=3e5,
                        interventions=[{"type": "hosting"}, {"type": "individual_training"}])
    full = LeadershipModel(scenario, rng=4, person_agents=False)
    final = LeadershipModel(scenario, rng=4, person_agents=False, record="final")
    full.run_for(months)
    final.run_for(months)
    expected = full.metrics()
    expected = expected[expected["month"] == months].reset_index(drop=True)
    pd.testing.assert_frame_equal(final.metrics(), expected, check_exact=True)
    assert full.result == final.result


def test_recording_choice_is_checked():
    with pytest.raises(ValueError, match="'all' or 'final'"):
        LeadershipModel(Scenario(population={"people": 200}, months=2), record="monthly")


@pytest.mark.parametrize("empty", [
    {"type": "individual_training", "params": {"participants": 0}},
    {"type": "individual_training", "budget_share": 0.0, "params": {"participants": 25}},
    {"type": "null"},
])
def test_an_intervention_that_reaches_nobody_changes_nothing(empty):
    """Common random numbers: an extra decision-maker with no participants leaves every draw unchanged."""
    base = Scenario(population={"people": 600}, months=24, budget=1e6)
    plus = Scenario(population={"people": 600}, months=24, budget=1e6, interventions=[empty])
    a = wide(run(base, replications=1, seed=21))
    b = wide(run(plus, replications=1, seed=21))
    shared = [c for c in a.columns if c in b.columns and c != "scenario"]
    assert len(shared) > 30
    pd.testing.assert_frame_equal(a[shared], b[shared], check_exact=True)
    reached = [c for c in b.columns if c.startswith("people_reached")]
    assert (b[reached].to_numpy() == 0).all()


def test_streams_are_pure_functions_of_seed_name_month_and_id():
    s = Streams(42)
    ids = [0, 7, 123456, 2**40]
    full = s.uniform("turnover.leave", 5, ids)
    alone = s.uniform("turnover.leave", 5, [123456])
    assert full[2] == alone[0]
    assert (full != s.uniform("turnover.leave", 6, ids)).all()
    assert (full != s.uniform("other.decision", 5, ids)).all()
    assert (full != Streams(43).uniform("turnover.leave", 5, ids)).all()
    big = s.uniform("check", 0, range(200_000))
    assert big.min() >= 0.0 and big.max() < 1.0
    assert abs(big.mean() - 0.5) < 0.003  # sd of the mean is 0.00065; 0.003 is over 4 sd
