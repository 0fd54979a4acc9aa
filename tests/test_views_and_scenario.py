"""Mesa views onto the arrays, and the validated scenario object."""

import numpy as np
import pytest
from pydantic import ValidationError

from simulation import Initiative, LeadershipModel, Organization, Person, Scenario
from simulation.core.interventions.individual_training import Cohort


def test_person_views_read_and_write_the_arrays():
    model = LeadershipModel(Scenario(population={"people": 200}, months=3), rng=2)
    people = model.agents_by_type[Person]
    assert len(people) == 200
    person = people[5]
    person.engagement = 0.875
    assert model.people.engagement[person.pid] == pytest.approx(0.875)
    model.people.purpose[person.pid] = 0.25
    assert person.purpose == pytest.approx(0.25)
    with pytest.raises(AttributeError):
        person.org_id = 3
    assert set(person.capacity) == {"connecting", "organizing", "systems_thinking", "bridging", "learning",
                                    "competence"}
    if person.org_id >= 0:
        assert isinstance(person.organization, Organization)
        assert person.pid in person.organization.member_ids()


def test_views_follow_turnover_and_collectives_are_agents():
    scenario = Scenario(population={"people": 300}, months=12, turnover={"monthly_rate": 0.1},
                        interventions=[{"type": "individual_training", "params": {"participants": 10}}])
    model = LeadershipModel(scenario, rng=3)
    model.run_for(12)
    people = model.agents_by_type[Person]
    assert len(people) == 300 and all(p.alive for p in people)
    assert len({p.pid for p in people}) == 300
    assert max(p.pid for p in people) >= 300  # newcomers got new, never reused, ids
    cohorts = model.agents_by_type[Cohort]
    assert len(cohorts) == 1 and len(cohorts[0].members) <= 10
    assert all(isinstance(i, Initiative) for i in model.initiatives)
    orgs = model.agents_by_type[Organization]
    assert sum(o.size for o in orgs) == int((model.people.org[model.people.alive] >= 0).sum())


def test_without_person_views_organization_views_appear_at_the_first_look():
    model = LeadershipModel(Scenario(population={"people": 300}, months=4), rng=2, person_agents=False)
    model.run_for(4)
    assert model._organizations is None  # a study's run never creates them
    orgs = model.agents_by_type[Organization]
    assert len(orgs) == model.orgs.count and model.organizations[3].oid == 3
    assert model.organizations[3].size == int(model.orgs.size[3])
    assert Person not in model.agents_by_type


def test_scenario_rejects_unknown_keys_and_impossible_values():
    with pytest.raises(ValidationError, match="extra"):
        Scenario(population={"peeple": 10})
    with pytest.raises(ValidationError):
        Scenario(community={"complementarity": 1.5})
    with pytest.raises(ValidationError):
        Scenario(learning={"forgetting_half_life": float("nan")})
    with pytest.raises(ValidationError, match="org_size_max"):
        Scenario(population={"org_size_min": 50, "org_size_max": 10})


def test_with_values_sets_dotted_paths_and_validates():
    s = Scenario(interventions=[{"type": "individual_training"}])
    t = s.with_values({"community.complementarity": 0.9, "interventions.0.params.participants": 12})
    assert t.community.complementarity == 0.9 and t.interventions[0].params["participants"] == 12
    assert s.community.complementarity == 0.5  # the original is unchanged
    assert s.content_hash() != t.content_hash()
    with pytest.raises(KeyError):
        s.with_values({"community.complementarty": 0.9})
    with pytest.raises(ValidationError):
        s.with_values({"community.complementarity": -1})


def test_budget_is_split_between_interventions():
    s = Scenario(budget=900.0, interventions=[{"type": "null", "label": "a", "budget_share": 0.5},
                                              {"type": "null", "label": "b"}, {"type": "null", "label": "c"}])
    assert [s.budget_of(i) for i in s.interventions] == [450.0, 225.0, 225.0]
    assert Scenario(interventions=[{"type": "null"}]).budget_of(Scenario(interventions=[{"type": "null"}])
                                                                .interventions[0]) is None


def test_shock_removes_the_target_group_at_once():
    scenario = Scenario(population={"people": 2000}, months=3,
                        turnover={"monthly_rate": 0.0, "leader_monthly_rate": 0.0, "shock_month": 1,
                                  "shock_share": 0.5, "shock_target": "executives"})
    model = LeadershipModel(scenario, rng=1, person_agents=False)
    execs = np.flatnonzero(model.people.alive & (model.people.position == 2))
    model.run_for(3)
    gone = ~model.people.alive[execs]
    assert gone.sum() == round(0.5 * len(execs))
    assert int(model.people.alive.sum()) == 2000
