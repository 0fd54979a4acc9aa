"""The leader-development chain end to end: it works, and it attenuates at each link.

"Individual Development -> Strong Organizations -> Better Community Results" (A New Leadership Mindset): training
should raise the fellows' competence most, their organizations' practice less, and the community result least;
and with little manager support less of it should reach the organization (MIT L2L: manager engagement).
All comparisons are paired against the null run on the same seed (common random numbers).
"""

import numpy as np

from simulation import LeadershipModel, Scenario
from simulation.core.people import COMPETENCE


def _scenario(manager_support: float, trained: bool) -> Scenario:
    interventions = [{"type": "individual_training", "params": {"participants": 60, "selection": "random"}}]
    return Scenario(
        population={"people": 1500, "manager_support_mean": manager_support, "org_trait_concentration": 200.0},
        turnover={"monthly_rate": 0.0, "leader_monthly_rate": 0.0},  # keep the same people to follow them
        months=18, interventions=interventions if trained else [],
    )


def _gains(manager_support: float, seed: int = 4) -> dict[str, float]:
    treated = LeadershipModel(_scenario(manager_support, True), rng=seed, person_agents=False)
    null = LeadershipModel(_scenario(manager_support, False), rng=seed, person_agents=False)
    treated.run_for(18)
    null.run_for(18)
    fellows = treated.interventions[0].reached_ids
    orgs = np.unique(treated.people.org[fellows])
    orgs = orgs[orgs >= 0]
    return {
        "competence": float((treated.people.capacity[fellows, COMPETENCE]
                             - null.people.capacity[fellows, COMPETENCE]).mean()),
        "org_practice": float((treated.orgs.practice_level()[orgs] - null.orgs.practice_level()[orgs]).mean()),
        "community": treated.result - null.result,
    }


def test_training_gains_attenuate_from_person_to_organization_to_community():
    g = _gains(manager_support=0.6)
    assert g["competence"] > 0.05  # about 0.73 sd of capacity (0.1) minus what is forgotten
    assert g["competence"] > g["org_practice"] > g["community"] > 0.0


def test_less_reaches_the_organization_when_managers_do_not_support_transfer():
    high = _gains(manager_support=0.9)
    low = _gains(manager_support=0.05)
    assert low["org_practice"] < 0.7 * high["org_practice"]
    assert low["competence"] < high["competence"]  # unpractised learning is also forgotten faster
