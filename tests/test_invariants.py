"""Invariants that must hold for any valid scenario (property-based, with hypothesis)."""

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulation import LeadershipModel, Scenario

scenarios = st.builds(
    lambda people, residents, turnover, leader_turnover, complementarity, support, engaged, shock, trained: Scenario(
        population={"people": people, "resident_share": residents, "manager_support_mean": support,
                    "initial_engaged_share": engaged},
        turnover={"monthly_rate": turnover, "leader_monthly_rate": leader_turnover,
                  "shock_month": 3 if shock else None, "shock_share": 0.5 if shock else 0.0},
        community={"complementarity": complementarity},
        months=8,
        interventions=[{"type": "individual_training", "params": {"participants": trained}}],
    ),
    people=st.integers(20, 400), residents=st.floats(0.0, 0.95), turnover=st.floats(0.0, 0.5),
    leader_turnover=st.floats(0.0, 0.5), complementarity=st.floats(0.0, 0.99), support=st.floats(0.0, 1.0),
    engaged=st.floats(0.0, 1.0), shock=st.booleans(), trained=st.integers(0, 50),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario=scenarios, seed=st.integers(0, 2**31))
def test_capacities_in_range_population_constant_no_nan(scenario, seed):
    model = LeadershipModel(scenario, rng=seed, person_agents=False)
    n_alive = int(model.people.alive.sum())
    for _ in range(scenario.months):
        model.step()
        p = model.people
        alive = p.alive_ids()
        assert len(alive) == n_alive == scenario.population.people
        caps = p.capacity[alive]
        assert np.isfinite(caps).all() and caps.min() >= 0.0 and caps.max() <= 1.0 + 1e-6
        for name in ("purpose", "engagement", "practice"):
            values = getattr(p, name)[alive]
            assert values.min() >= 0.0 and values.max() <= 1.0 + 1e-6, name
        assert 0.0 <= model.result <= 1.0
        assert (model.ties.src < model.ties.dst).all()
        assert p.alive[model.ties.src].all() and p.alive[model.ties.dst].all()  # no tie to someone who left
    table = model.metrics()
    assert np.isfinite(table["value"]).all()
