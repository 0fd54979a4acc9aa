"""Designs are SALib's designs; run keys change exactly when a run's numbers could change."""

from __future__ import annotations

import itertools
import json
import warnings
from pathlib import Path

import numpy as np
import pytest
from SALib.sample import latin as salib_latin
from SALib.sample import morris as salib_morris
from SALib.sample import sobol as salib_sobol
from studies_support import study_data, write_study

from simulation.studies import Task, build_plan, load_study, run_key, run_task
from simulation.studies.runkeys import CORE, code_version, key_data, model_sources
from simulation.studies.worker import CodeMismatch

UNCERTAINTIES = {
    "community.complementarity": {"low": 0.1, "high": 0.9},
    "learning.forgetting_half_life": {"distribution": "triangular", "low": 6, "mode": 9, "high": 13},
    "network.bridge_survival_per_year": {"distribution": "loguniform", "low": 0.05, "high": 0.3},
    "turnover.monthly_rate": {"distribution": "truncnormal", "low": 0.005, "high": 0.025, "mean": 0.012,
                              "sd": 0.005},
    "engagement.contagion_threshold": {"low": 1, "high": 4},
}
PROBLEM = {
    "num_vars": 5,
    "names": list(UNCERTAINTIES),
    "bounds": [[0.1, 0.9], [6, 13, 3 / 7], [0.05, 0.3], [0.005, 0.025, 0.012, 0.005], [1, 4]],
    "dists": ["unif", "triang", "logunif", "truncnorm", "unif"],
}


def design_of(tmp_path: Path, design: dict, uncertainties: dict | None = None):
    study = load_study(write_study(tmp_path, design=design, uncertainties=uncertainties or UNCERTAINTIES))
    return build_plan(study)


@pytest.mark.parametrize(("design", "salib"), [
    ({"method": "latin", "samples": 40, "seed": 7}, lambda: salib_latin.sample(PROBLEM, 40, seed=7)),
    ({"method": "sobol", "samples": 16, "seed": 7},
     lambda: salib_sobol.sample(PROBLEM, 16, calc_second_order=False, scramble=True, seed=7)),
    ({"method": "sobol", "samples": 8, "seed": 3, "second_order": True},
     lambda: salib_sobol.sample(PROBLEM, 8, calc_second_order=True, scramble=True, seed=3)),
    ({"method": "morris", "samples": 6, "seed": 5, "levels": 6},
     lambda: salib_morris.sample(PROBLEM, 6, num_levels=6, seed=5)),
], ids=["latin", "sobol", "sobol-second-order", "morris"])
def test_samplers_give_salibs_design(tmp_path: Path, design: dict, salib) -> None:
    plan = design_of(tmp_path, design)
    with warnings.catch_warnings():  # SALib's notes on sample sizes are not under test here
        warnings.simplefilter("ignore")
        expected = salib()
    np.testing.assert_array_equal(plan.design.samples, expected)
    assert plan.design.problem == PROBLEM
    # the values applied to scenarios are SALib's, integer fields rounded
    frame = plan.design.frame()
    np.testing.assert_allclose(frame["community.complementarity"], expected[:, 0])
    np.testing.assert_array_equal(frame["engagement.contagion_threshold"], np.round(expected[:, 4]).astype(int))
    scenario = plan.scenario(3, "training")
    assert scenario.community.complementarity == pytest.approx(expected[3, 0])
    assert scenario.engagement.contagion_threshold == round(expected[3, 4])


def test_factorial_grid_is_every_combination(tmp_path: Path) -> None:
    factors = {"community.complementarity": [0.2, 0.8], "population.people": [200, 300, 400],
               "budget_per_person": [10, 20]}
    study = load_study(write_study(tmp_path, design={"method": "factorial"}, uncertainties=None, factors=factors))
    plan = build_plan(study)
    combos = list(itertools.product(*factors.values()))
    assert plan.design.grid == combos
    assert len(plan.runs) == len(combos) * 2 * 2  # levers x replications
    for point, combo in enumerate(combos):
        s = plan.scenario(point, "training")
        assert (s.community.complementarity, s.population.people) == combo[:2]
        assert s.budget == combo[2] * combo[1]  # budget_per_person x people


def test_common_random_numbers_across_the_plan(tmp_path: Path) -> None:
    plan = design_of(tmp_path, {"method": "latin", "samples": 5, "seed": 1})
    runs = plan.runs
    assert set(runs["seed"]) == {11, 12}  # study seed + replication
    assert (runs.groupby("replication")["seed"].nunique() == 1).all()


def test_run_keys_change_exactly_when_numbers_can(tmp_path: Path) -> None:
    plan = design_of(tmp_path, {"method": "latin", "samples": 4, "seed": 1})
    resolved = plan.resolved(0, "training")
    code = plan.code
    key = run_key(resolved, 11, code)
    assert key == plan.runs.query("point == 0 and lever == 'training' and replication == 0")["key"].item()
    renamed = {**resolved, "name": "other", "description": "words", "replications": 99}
    assert run_key(renamed, 11, code) == key  # names and counts cannot change a run
    assert run_key(resolved, 12, code) != key  # another seed
    assert run_key(resolved, 11, code + "x") != key  # other code
    changed = json.loads(json.dumps(resolved))
    changed["interventions"][0]["params"]["effect_size"] = 0.5
    assert run_key(changed, 11, code) != key  # any parameter, intervention parameters included
    # a scenario without interventions runs the same at any budget (nothing else reads the budget)
    plain = plan.resolved(0, "none")
    assert "budget" not in key_data(plain)
    assert run_key({**plain, "budget": 5.0}, 11, code) == run_key({**plain, "budget": 7.0}, 11, code)


def test_study_edits_that_cannot_change_runs_keep_their_keys(tmp_path: Path) -> None:
    a = build_plan(load_study(write_study(tmp_path, "a.yaml")))
    data = study_data()
    data["levers"][0]["name"] = "business_as_usual"
    data["outputs"] = [{"name": "result", "metric": "community_result"}]
    data["description"] = "renamed lever, fewer outputs"
    (tmp_path / "b.yaml").write_text(json.dumps(data))
    b = build_plan(load_study(tmp_path / "b.yaml"))
    assert list(a.runs["key"]) == list(b.runs["key"])


def test_code_version_covers_the_model_and_nothing_else() -> None:
    names = {p.relative_to(p.parents[1]).as_posix() if p.parent.name == "interventions" else p.name
             for p in model_sources()}
    assert {"model.py", "streams.py", "scenario.py", "interventions/individual_training.py"} <= names
    assert not {"results.py", "plots.py", "execution.py", "compare.py", "runner.py"} & names
    assert CORE.name == "core" and all(p.is_relative_to(CORE) for p in model_sources())
    assert any(p.parent.name == "params" for p in model_sources())  # the interventions' parameters too
    assert code_version().startswith("leadsim-")


def test_worker_refuses_a_task_planned_with_other_code(tmp_path: Path) -> None:
    plan = design_of(tmp_path, {"method": "latin", "samples": 2, "seed": 1})
    task = next(plan.tasks(set(plan.runs["key"])))
    outcome = run_task(task)
    assert outcome.key == task.key and set(outcome.frame.columns) == {"month", "metric", "value"}
    with pytest.raises(CodeMismatch, match="same leadsim checkout"):
        run_task(Task(task.key, task.scenario, task.seed, "leadsim-0+other"))


@pytest.mark.parametrize("changes", [
    {},
    {"design": {"method": "factorial"}, "uncertainties": None,
     "factors": {"population.people": [200, 300], "budget_per_person": [10, 20.5], "months": [6, 12]}},
    {"design": {"method": "sobol", "samples": 4, "seed": 2},
     "uncertainties": {"interventions.0.params.cost_per_participant": {"low": 1000, "high": 9000},
                       "engagement.contagion_threshold": {"low": 1, "high": 4}},
     "levers": [{"name": "training", "set": {"budget": 100_000, "interventions": [
         {"type": "individual_training", "params": {"cost_per_participant": 5000}}]}}],
     "outputs": [{"name": "result", "metric": "community_result"}]},
], ids=["morris", "factorial-with-derived-budget", "sobol-of-intervention-params"])
def test_the_planners_keys_are_run_key_of_each_resolved_scenario(tmp_path: Path, changes: dict) -> None:
    """The planner reuses its levers' validated sections and key text: the keys must be exactly run_key's."""
    plan = build_plan(load_study(write_study(tmp_path, **changes)))
    for row in plan.runs.itertuples():
        assert row.key == run_key(plan.resolved(row.point, row.lever), row.seed, plan.code), row


@pytest.mark.parametrize("design", [
    {"method": "latin", "samples": 7}, {"method": "sobol", "samples": 8}, {"method": "morris", "samples": 3},
    {"method": "sobol", "samples": 4, "second_order": True}, {"method": "morris", "samples": 2, "levels": 6},
])
def test_the_closed_form_size_is_the_designs_size(tmp_path: Path, design: dict) -> None:
    from simulation.studies.designs import count_points

    study = load_study(write_study(tmp_path, design=design, uncertainties=UNCERTAINTIES,
                                   factors={"population.people": [200, 300]}))
    assert count_points(study.spec) == build_plan(study).design.n_points
