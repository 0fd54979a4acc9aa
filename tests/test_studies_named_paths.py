"""An intervention named in a study path (``interventions.<label or type>.params.X``) is varied in the levers
that run it and leaves the others alone; a name no lever runs is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from studies_support import TINY, write_study

from simulation.core.scenario import resolve_path
from simulation.scenario_files import ScenarioFileError
from simulation.studies import build_plan, load_study
from simulation.studies.plan import scenario_data

NAMED = "interventions.individual_training.params.effect_size"


def test_resolve_path_names_an_intervention_by_label_or_type() -> None:
    data = {"interventions": [{"type": "hosting"}, {"type": "individual_training", "label": "fellows"}]}
    assert resolve_path(data, "interventions.hosting.params.rounds") == "interventions.0.params.rounds"
    assert resolve_path(data, "interventions.fellows.params.effect_size") == "interventions.1.params.effect_size"
    assert resolve_path(data, "interventions.individual_training.params.x") is None  # labelled: not by type
    assert resolve_path(data, "community.complementarity") == "community.complementarity"
    assert resolve_path(data, "interventions.1.type") == "interventions.1.type"


def test_a_named_uncertainty_varies_only_the_levers_that_run_it(tmp_path: Path) -> None:
    uncertainties = {**TINY["uncertainties"], NAMED: {"low": 0.2, "high": 1.2}}
    study = load_study(write_study(tmp_path, uncertainties=uncertainties))
    plan = build_plan(study)
    from simulation.studies.designs import make_design

    design = make_design(study.spec, set())
    sizes = set()
    for point in range(3):
        none = scenario_data(study, design, point, 0)
        training = scenario_data(study, design, point, 1)
        assert none["interventions"] == []
        sizes.add(training["interventions"][0]["params"]["effect_size"])
    assert len(sizes) > 1 and all(0.2 <= s <= 1.2 for s in sizes)
    assert len(plan.runs) == TINY["design"]["samples"] * (len(uncertainties) + 1) * 2 * TINY["replications"]


def test_a_name_no_lever_runs_is_refused(tmp_path: Path) -> None:
    uncertainties = {**TINY["uncertainties"], "interventions.hostng.params.rounds": {"low": 1, "high": 3}}
    with pytest.raises(ScenarioFileError, match="no lever runs an intervention named 'hostng'"):
        build_plan(load_study(write_study(tmp_path, uncertainties=uncertainties)))
