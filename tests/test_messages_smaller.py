"""Smaller message fixes: a --set into a list the file leaves empty, the fields a study may name inside an
intervention, the --out that a suggested command must repeat, and date-like text read as text."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from studies_support import study_data, write_study

from simulation.problems import ScenarioFileError
from simulation.scenario_files import load_scenario
from simulation.studies import InProcess, build_plan, load_study, sweep


def test_set_into_a_file_without_interventions(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("name: s\nmonths: 3\n")
    with pytest.raises(ScenarioFileError) as refused:
        load_scenario(path, {"interventions.0.type": "individual_training"})
    (problem,) = refused.value.problems
    assert problem.field == "interventions.0.type (from --set)"
    message = problem.message
    assert "'interventions.0.type'" not in message  # the field is named once, not again in pydantic's style
    assert "no interventions" in message and "interventions=[{type: individual_training}]" in message, message
    assert "leadsim interventions" in message


def test_set_past_the_end_of_a_list(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("name: s\ninterventions:\n  - type: individual_training\n")
    with pytest.raises(ScenarioFileError, match=r"3 is not an index of interventions, which has 1 item\. "
                                                r"Allowed: 0"):
        load_scenario(path, {"interventions.3.type": "mentoring"})


def lever_study(tmp_path: Path, uncertainty: str) -> Path:
    data = study_data(levers=[{"name": "training", "set": {"budget": 100_000, "interventions": [
        {"type": "individual_training"}]}}], outputs=[{"name": "result", "metric": "community_result"}])
    data["uncertainties"] = {uncertainty: {"low": 1000, "high": 5000}}
    path = tmp_path / "study.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def test_a_study_may_name_params_of_a_lever_intervention_that_gives_none(tmp_path: Path) -> None:
    study = load_study(lever_study(tmp_path, "interventions.0.params.cost_per_participant"))
    assert len(build_plan(study).runs) > 0


def test_a_study_lists_every_intervention_field_as_allowed(tmp_path: Path) -> None:
    with pytest.raises(ScenarioFileError) as refused:
        load_study(lever_study(tmp_path, "interventions.0.parms.cost_per_participant"))
    message = str(refused.value)
    assert "Did you mean 'params'?" in message
    assert "Allowed here: type, label, budget_share, params" in message, message


def test_suggested_commands_repeat_the_out_given(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from simulation.cli import main

    study = write_study(tmp_path)
    out = tmp_path / "elsewhere"
    assert main(["sweep", str(study), "--out", str(out), "--workers", "1", "--no-analysis"]) == 0
    assert f"leadsim sensitivity {study} --out {out}" in capsys.readouterr().out
    (next((out / "shards").glob("part-*.parquet"))).unlink()  # some runs are missing now
    assert main(["sensitivity", str(study), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"leadsim sweep {study} --out {out}" in err, err


def test_date_like_text_is_text(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("name: s\ndescription: 2001-12-14\nmonths: 3\n")
    assert load_scenario(path).scenario.description == "2001-12-14"
    assert load_scenario(path, {"name": "2002-01-01 10:00:00"}).scenario.name == "2002-01-01 10:00:00"
    study = write_study(tmp_path, "dated.yaml", name="tiny", description="2001-12-14")
    assert sweep(study, tmp_path / "out", executor=InProcess(), analyse=False).status == "complete"
