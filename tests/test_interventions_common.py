"""Properties every registered intervention must have (parametrised over ``simulation.REGISTRY``, so a new
intervention is covered as soon as it is registered):

* at an equal budget it spends that budget, within 5%, over the horizon, and never more;
* an intervention that reaches nobody (a zero budget, or no participants without a budget) changes nothing: every
  metric of every month is identical to the null run on the same seed (common random numbers);
* what it spent and whom it reached are reported every month (``cost_spent.<label>``, ``people_reached.<label>``),
  never decreasing, and agree with the intervention's own account.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd
import pytest

from simulation import REGISTRY, LeadershipModel, Scenario

NAMES = sorted(name for name in REGISTRY if name != "null")

# The shared budget of the scenario library (scenarios/leader_vs_leadership: 600,000 over 60 months for 2,000
# people). Sizing to a budget rounds down to whole participants per event, so an intervention may leave up to one
# participant's cost per event unspent; at this budget that is below 5% for every default cost model.
PEOPLE, MONTHS, BUDGET, SEED = 2000, 60, 600_000.0, 3


def metrics_table(model: LeadershipModel) -> pd.DataFrame:
    return model.metrics().pivot(index="month", columns="metric", values="value")


@cache
def most_populous_place() -> int:
    """The place with the most people at month 0 (the population does not depend on the interventions)."""
    probe = LeadershipModel(Scenario(population={"people": PEOPLE}, months=1), rng=SEED, person_agents=False)
    return int(np.bincount(probe.people.place[: probe.people.count]).argmax())


@cache
def budgeted_run(name: str) -> tuple[LeadershipModel, pd.DataFrame]:
    # With Zipf organization sizes (Axtell 2001) a place drawn at random can hold too few people to absorb the
    # budget (one of five places had 138 of 2,000 people at this seed): the programme then rightly stops when
    # everyone there is reached. These tests are about sizing and accounting, so place-based work is put in the
    # most populous place.
    params = {"place": most_populous_place()} if name == "place_based" else {}
    scenario = Scenario(population={"people": PEOPLE}, months=MONTHS, budget=BUDGET,
                        interventions=[{"type": name, "params": params}])
    model = LeadershipModel(scenario, rng=SEED, person_agents=False)
    model.run_for(MONTHS)
    return model, metrics_table(model)


@pytest.mark.parametrize("name", NAMES)
def test_spends_its_budget_within_five_percent(name: str) -> None:
    model, _ = budgeted_run(name)
    spent = model.interventions[0].spent
    assert spent <= BUDGET * (1 + 1e-9), f"{name} overspent: {spent:,.0f} of {BUDGET:,.0f}"
    assert spent >= 0.95 * BUDGET, f"{name} spent only {spent:,.0f} of {BUDGET:,.0f}"


@pytest.mark.parametrize("name", NAMES)
def test_reports_cost_and_reach_every_month(name: str) -> None:
    model, table = budgeted_run(name)
    iv = model.interventions[0]
    cost, reach = table[f"cost_spent.{iv.label}"], table[f"people_reached.{iv.label}"]
    assert len(cost) == MONTHS + 1 and cost.notna().all() and reach.notna().all()
    assert (np.diff(cost.to_numpy()) >= 0).all(), "money spent never goes down"
    assert (np.diff(reach.to_numpy()) >= 0).all(), "people reached never goes down"
    assert cost.iloc[-1] == pytest.approx(iv.spent) and reach.iloc[-1] == iv.people_reached
    assert cost.iloc[-1] > 0 and reach.iloc[-1] > 0
    # Alone in the scenario, the intervention's account is the scenario's account.
    assert np.array_equal(table["cost_spent"].to_numpy(), cost.to_numpy())
    assert np.array_equal(table["people_reached"].to_numpy(), reach.to_numpy())
    assert reach.iloc[-1] <= model.people.count


@cache
def null_table() -> pd.DataFrame:
    model = LeadershipModel(Scenario(population={"people": 400}, months=24), rng=SEED, person_agents=False)
    model.run_for(24)
    return metrics_table(model)


@pytest.mark.parametrize("how", ["zero budget", "no participants"])
@pytest.mark.parametrize("name", NAMES)
def test_reaching_nobody_changes_nothing(name: str, how: str) -> None:
    if how == "zero budget":
        scenario = Scenario(population={"people": 400}, months=24, budget=0.0, interventions=[{"type": name}])
    else:
        scenario = Scenario(population={"people": 400}, months=24,
                            interventions=[{"type": name, "params": {"participants": 0}}])
    model = LeadershipModel(scenario, rng=SEED, person_agents=False)
    model.run_for(24)
    table, null = metrics_table(model), null_table()
    assert set(null.columns) <= set(table.columns)
    for metric in null.columns:  # exact: common random numbers make an idle intervention invisible
        assert np.array_equal(table[metric].to_numpy(), null[metric].to_numpy()), f"{metric} changed"
    assert (table[f"cost_spent.{name}"] == 0).all() and (table[f"people_reached.{name}"] == 0).all()
