"""The distinctive mechanism of each collective intervention, against the null run on common random numbers.

Same seed, same scenario: the runs differ only where the intervention acts, so small populations and a few seeds
show the mechanism. Each tolerance is justified where it is used.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from simulation import Intervention, LeadershipModel, Scenario
from simulation.core.people import MANAGER


def run(interventions: list[dict], seed: int, months: int, people: int, **sections) -> LeadershipModel:
    scenario = Scenario(population={"people": people, **sections.pop("population", {})}, months=months,
                        interventions=interventions, **sections)
    model = LeadershipModel(scenario, rng=seed, person_agents=False)
    model.run_for(months)
    return model


def table(model: LeadershipModel) -> pd.DataFrame:
    return model.metrics().pivot(index="month", columns="metric", values="value")


# ---- hosting ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("seed", [1, 2])
def test_hosting_fades_within_a_year_without_follow_up_and_persists_with_it(seed: int) -> None:
    """One World Café for 500 of 1,000 people at month 0; differences from the null run at month 1 and 13."""
    null = table(run([], seed, 14, 1000))
    change = {}
    for follow_up in (0, 24):
        iv = {"type": "hosting", "params": {"participants": 500, "every_months": 100, "follow_up_months": follow_up}}
        diff = table(run([iv], seed, 14, 1000))[null.columns] - null
        assert diff.bridging_ties[1] > 300  # ~3 new weak ties per participant, most across organizations
        assert diff.direction[1] > 0.01  # 10% of the purpose gap of half the community
        change[follow_up] = (diff.bridging_ties[13] / diff.bridging_ties[1], diff.direction[13] / diff.direction[1])
    # One-off: unreinforced weak bridges survive a year at 10% (Burt 2002; observed 6-11% over seeds 1-5) and the
    # afterglow has a 3-month half-life (1/16 left; observed 6-10%): 0.2 leaves room for the random survival of
    # a few hundred ties and for purpose passed on to contacts in the meantime.
    assert change[0][0] < 0.2 and change[0][1] < 0.2
    # Follow-up: members' ties are reinforced monthly and become strong, attending harvests the afterglow
    # (observed: 64-78% of the ties, 34-35% of the purpose); well above the one-off and above null.
    assert change[24][0] > 0.4 and change[24][1] > 0.2
    assert change[24][0] > 3 * change[0][0] and change[24][1] > 2 * change[0][1]


# ---- change lab ---------------------------------------------------------------------------------------------
class SeverPrototypes(Intervention):
    """Test device: cuts every tie between a change-lab prototype's members and anyone outside it, each month
    before initiatives spread (with chance meetings and triadic closure off, no tie comes back in between)."""

    def step(self, model: LeadershipModel) -> None:
        p, t = model.people, model.ties
        label = np.full(p.count, -1, dtype=np.int64)
        for initiative in model.initiatives:
            if initiative.active and initiative.source == "change_lab":
                label[initiative.members] = initiative.index
        t.keep(label[t.src] == label[t.dst])


@pytest.mark.parametrize("seed", [1, 3])
def test_change_lab_prototypes_span_sectors_and_spread_only_through_ties(seed: int) -> None:
    scenario = Scenario(population={"people": 2000}, months=30,
                        network={"triadic_closure": 0.0, "cross_org_degree": 0.0},
                        interventions=[{"type": "change_lab", "params": {"participants": 35}}])
    spread = {}
    for sever in (False, True):
        model = LeadershipModel(scenario, rng=seed, person_agents=False,
                                interventions=[SeverPrototypes()] if sever else None)
        model.run_for(9)
        iv = model.interventions[0]
        prototypes = [i for i in model.initiatives if i.source == "change_lab"]
        # launched at the start of the action phase (month 6 + 2), one per team of about 7 spanning 3+ sectors
        assert len(prototypes) >= 2 and all(i.created == 8 for i in prototypes)
        for initiative in prototypes:
            assert len(np.unique(model.people.sector[initiative.members])) >= 3
            assert np.isin(initiative.members, iv.reached_ids).all()
            assert (model.people.position[initiative.members] >= MANAGER).all()
        model.run_for(21)  # does anyone outside the prototypes take them up?
        spread[sever] = sum(int(i.adopters.sum()) for i in prototypes)
    # Organizations adopt only through ties from members to their people (initiatives.spread_initiatives):
    # observed 100-126 adoptions with ties, none without.
    assert spread[False] >= 10 and spread[True] == 0


# ---- place-based ----------------------------------------------------------------------------------------------
def per_place(model: LeadershipModel) -> tuple[np.ndarray, np.ndarray]:
    """Ties with both ends in each place, and mean engagement of each place's living people."""
    p, t = model.people, model.ties
    places = model.params.population.places
    same = p.place[t.src] == p.place[t.dst]
    ties = np.bincount(p.place[t.src][same], minlength=places)
    alive = np.flatnonzero(p.alive[: p.count])
    count = np.bincount(p.place[alive], minlength=places)
    engagement = np.bincount(p.place[alive], weights=p.engagement[alive], minlength=places) / count
    return ties, engagement


@pytest.mark.parametrize("seed", [1, 2])
def test_place_based_concentrates_ties_and_engagement_in_its_place(seed: int) -> None:
    null = run([], seed, 24, 1500)
    model = run([{"type": "place_based", "params": {"participants": 150}}], seed, 24, 1500)
    iv = model.interventions[0]
    assert (model.people.place[iv.reached_ids] == iv.place).all()
    assert 0 < iv.trust <= 1 and model.orgs.place[iv.intermediary] == iv.place
    ties, engagement = (a - b for a, b in zip(per_place(model), per_place(null), strict=True))
    others = np.arange(len(ties)) != iv.place
    # Observed (seeds 1, 2): +118 and +141 ties in the place, none elsewhere; engagement +0.090 and +0.053 in the
    # place, at most 0.011 and 0.019 elsewhere (contagion along the few bridges out of the place, and the noise of
    # a 27% engaged share). Ties: a factor of 3 with room to spare; engagement: a factor of 2 (2.8 at seed 2).
    assert ties[iv.place] > 50 and ties[iv.place] > 3 * np.abs(ties[others]).max()
    assert engagement[iv.place] > 0.03 and engagement[iv.place] > 2 * np.abs(engagement[others]).max()


def test_place_based_circles_act_together_once_a_cycle() -> None:
    """Each circle launches at most one initiative a cycle; attendees ready later in the stage join it."""
    months = 12
    model = run([{"type": "place_based", "params": {"participants": 300, "trust": 1.0, "every_months": months}}], 1,
                24, 1500, engagement={"engaged_threshold": 0.05}, initiatives={"min_purpose": 0.0})
    launched = [i for i in model.initiatives if i.source == "place_based"]
    assert len(launched) >= 5, "too few launches to test"
    per_circle = {}
    for initiative in launched:  # label "<intervention> <month>.<circle>"
        month, circle = initiative.label.rsplit(" ", 1)[1].split(".")
        key = (int(month) // months, int(circle))
        per_circle[key] = per_circle.get(key, 0) + 1
    assert max(per_circle.values()) == 1
    assert max(i.goal for i in launched) > model.params.initiatives.min_members  # some grew as attendees joined


# ---- social entrepreneurship ------------------------------------------------------------------------------------
def test_social_entrepreneurship_grantees_lead_new_initiatives() -> None:
    model = run([{"type": "social_entrepreneurship", "params": {"participants": 4}}], 1, 1, 1000)
    iv = model.interventions[0]
    assert len(iv.ventures) >= 3  # a grantee with no free contact founds nothing
    for venture in iv.ventures:
        initiative = venture.initiative
        assert initiative.source == "social_entrepreneurship" and initiative.members[0] == venture.grantee
        assert model.people.initiative[venture.grantee] == initiative.index and len(initiative.members) >= 2
    assert {v.grantee for v in iv.ventures} <= set(iv.reached_ids.tolist())


def test_grant_gives_ventures_momentum_and_resilience() -> None:
    """Same grantees and teams (selection does not depend on the grant), with and without the grant's support."""
    failed, momentum = {True: 0, False: 0}, {True: [], False: []}
    for seed in (1, 2, 3, 4):
        for funded in (True, False):
            params = {"participants": 4} if funded else {"participants": 4, "grant_momentum": 0.0,
                                                         "grant_resilience": 0.0}
            model = run([{"type": "social_entrepreneurship", "params": params}], seed, 18, 1000)
            ventures = [v.initiative for v in model.interventions[0].ventures]
            failed[funded] += sum(v.status == "failed" for v in ventures)
            momentum[funded] += [v.momentum for v in ventures]
    # Observed 3 failures of 32 funded ventures against 21 of 32 unfunded; half as many is a safe bound.
    assert failed[True] < 0.5 * failed[False]
    assert np.mean(momentum[True]) > np.mean(momentum[False])


# ---- adaptive leadership ----------------------------------------------------------------------------------------
def test_adaptive_leadership_lowers_the_failure_rate_of_initiatives() -> None:
    """A community where initiatives form and fail without help (purpose and engagement above the defaults)."""
    population = {"initial_purpose_mean": 0.55, "initial_engaged_share": 0.25}
    rate = {}
    for with_programme in (False, True):
        failed = formed = adaptations = 0
        for seed in (1, 2, 3):
            ivs = [{"type": "adaptive_leadership", "params": {"participants": 100}}] if with_programme else []
            model = run(ivs, seed, 36, 1000, population=population)
            failed += sum(i.status == "failed" for i in model.initiatives)
            formed += len(model.initiatives)
            adaptations += sum(i.adaptations for i in model.initiatives)
        assert formed > 100  # enough initiatives for a failure rate
        rate[with_programme] = failed / formed
        assert (adaptations > 0) == with_programme  # nothing else makes initiatives re-plan here
    # Observed: 0.15 of initiatives fail without the programme, 0.06 with it (three seeds pooled, over 100
    # initiatives each way; a problem beyond a group stalls rather than drains it, so fewer fail at all). At most
    # 0.6 of the rate without leaves room for seed noise and fails if re-planning stops mattering.
    assert rate[True] < 0.6 * rate[False]
