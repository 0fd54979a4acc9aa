"""Person state variables and metrics are each declared once; the store, turnover, the views and the recorder
follow the declaration."""

import numpy as np
import pytest

from simulation import LeadershipModel, Person, Scenario
from simulation.core.interventions import intervention_class
from simulation.core.metrics import METRICS, metric_names
from simulation.core.people import INHERITED, PERSON_FIELDS, People
from simulation.core.turnover import replace

DRAWN = {"group", "capacity", "base_capacity", "purpose", "engagement"}  # population.draw_traits sets these


def _scenario(**changes) -> Scenario:
    return Scenario(population={"people": 300}, months=4, budget=2e6,
                    interventions=[{"type": "individual_training"},
                                   {"type": "cohort_networking", "label": "alumni"}], **changes)


def test_metric_names_are_the_recorders_columns_and_list_every_metric_once():
    scenario = _scenario()
    model = LeadershipModel(scenario, rng=1, person_agents=False)
    names = metric_names(scenario)
    assert model.recorder.names == names
    assert len(set(names)) == len(names)
    assert {"cost_spent.individual_training", "people_reached.alumni", "lever.education"} <= set(names)
    assert set(names) >= {name for level in METRICS.values() for name in level}
    extra = intervention_class("mentoring")({}, label="extra")
    with_extra = LeadershipModel(scenario, rng=1, interventions=[extra], person_agents=False)
    labels = ["individual_training", "alumni", "extra"]
    assert with_extra.recorder.names == metric_names(scenario, labels)
    assert with_extra.recorder.names[-2:] == ["cost_spent.extra", "people_reached.extra"]


def test_named_metrics_hold_what_their_names_say():
    model = LeadershipModel(_scenario(), rng=2, person_agents=False)
    model.run_for(4)
    p = model.people
    alive = p.alive[: p.count]
    engaged = alive & (p.engagement[: p.count] >= model.params.engagement.engaged_threshold)
    row = dict(zip(model.recorder.names, model.recorder.values[-1], strict=True))
    assert row["people_engaged"] == engaged.sum()
    assert row["engaged_share"] == pytest.approx(engaged.sum() / alive.sum())
    assert row["direction"] == pytest.approx(p.purpose[: p.count][alive].mean(), rel=1e-6)
    assert row["commitment"] == pytest.approx(p.engagement[: p.count][alive].mean(), rel=1e-6)
    sd = p.purpose[: p.count][alive].astype(float).std()
    assert row["alignment"] == pytest.approx(max(0.0, 1.0 - 2.0 * sd), rel=1e-6)
    capacity = p.capacity[: p.count][alive].astype(float)
    assert row["mean_competence"] == pytest.approx(capacity[:, 5].mean())
    assert row["mean_collective_capacity"] == pytest.approx(capacity[:, :5].mean())
    assert row["ties"] == len(model.ties) and row["community_result"] == model.result
    spent = sum(iv.spent for iv in model.interventions)
    assert row["cost_spent"] == spent > 0 and row["cost_spent.alumni"] == model.interventions[1].spent
    assert [row[f"lever.{s}"] for s in model.params.population.sectors] == model.levers.tolist()


def test_every_declared_field_is_an_array_that_grows_with_its_starting_value():
    people = People(4)
    people.add(3, month=2)
    people.add(40, month=5)  # past the first allocation: the arrays grow
    for field in PERSON_FIELDS:
        array = getattr(people, field.name)
        assert array.dtype == np.dtype(field.dtype) and array.shape == (people.size, *field.shape)
        if field.name not in ("alive", "joined"):
            assert (array == field.fill).all(), field.name
    assert people.alive[:43].all() and not people.alive[43:].any()
    assert people.joined[:3].tolist() == [2, 2, 2] and (people.joined[3:43] == 5).all()


def test_declared_views_read_the_arrays_and_only_writable_ones_write():
    model = LeadershipModel(Scenario(population={"people": 200}, months=2), rng=3)
    person = model.agents_by_type[Person][7]
    viewed = [f for f in PERSON_FIELDS if f.view is not None]
    assert {f.view for f in viewed} >= {"engagement", "purpose", "org_id", "initiative_id", "programmes_attended"}
    for field in viewed:
        array = getattr(model.people, field.name)
        assert getattr(person, field.view) == array[person.pid], field.name
        if field.writable:
            setattr(person, field.view, 0.25)
            assert array[person.pid] == np.float32(0.25)
        else:
            with pytest.raises(AttributeError):
                setattr(person, field.view, 1)


def test_newcomers_inherit_the_declared_role_fields_and_start_fresh_elsewhere():
    model = LeadershipModel(Scenario(population={"people": 400}, months=3), rng=4, person_agents=False)
    model.run_for(2)
    p = model.people
    p.trained[:50] = 2
    p.initiative[:50] = 0
    leavers = np.arange(0, 50, 5)
    newcomers = replace(model, leavers)
    assert set(INHERITED) == {"org", "sector", "position", "place", "unit", "leads"}
    for name in INHERITED:
        np.testing.assert_array_equal(getattr(p, name)[newcomers], getattr(p, name)[leavers])
    assert (p.left[leavers] == model.month).all() and not p.alive[leavers].any()
    assert (p.joined[newcomers] == model.month).all() and p.alive[newcomers].all()
    for field in PERSON_FIELDS:
        if not field.inherited and field.name not in DRAWN | {"alive", "joined"}:
            assert (getattr(p, field.name)[newcomers] == field.fill).all(), field.name
