"""Studies that sample their uncertainty from a posterior: each run draws its seed's row; run keys carry the
posterior's hash; executors agree; a posterior parameter may not also be varied by the study."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from cli_support import assert_refused, leadsim
from posterior_support import EFFECT, IMPACT, ROWS, write_posterior
from studies_support import write_study

from simulation.posterior import ROW_COLUMN, load_posterior
from simulation.problems import ScenarioFileError
from simulation.runner import run_one
from simulation.studies import InProcess, ProcessPool, build_plan, load_study, read_table, run_key, sweep

# One point, both levers of the tiny study, five replications: the posterior is the study's only uncertainty.
POSTERIOR_STUDY = {"uncertainties": {}, "design": {"method": "factorial"}, "replications": 5,
                   "outputs": [{"name": "result", "metric": "community_result"},
                               {"name": "gain", "metric": "community_result", "minus": "none"}]}


@pytest.fixture
def study(tmp_path: Path) -> Path:
    write_posterior(tmp_path / "post")
    return write_study(tmp_path, posterior="post", **POSTERIOR_STUDY)


def test_each_run_draws_its_seeds_row(study: Path) -> None:
    plan = build_plan(load_study(study))
    posterior = load_posterior(study.parent / "post")
    assert plan.runs[ROW_COLUMN].tolist() == [posterior.row(s) for s in plan.runs["seed"]]
    for task in plan.tasks(set(plan.runs["key"])):
        row = plan.runs.set_index("key").loc[task.key]
        data = json.loads(task.scenario)
        drawn = posterior.values(int(row[ROW_COLUMN]))
        assert data["initiatives"]["impact"] == drawn[IMPACT]
        if row["lever"] == "training":
            assert data["interventions"][0]["params"]["effect_size"] == drawn[EFFECT]
        else:
            assert data["interventions"] == []


def test_run_keys_include_the_posteriors_hash(study: Path, tmp_path: Path) -> None:
    with_a = build_plan(load_study(study))
    shutil.copytree(tmp_path / "post", tmp_path / "same")
    same = build_plan(load_study(study, tmp_path / "same"))  # the same content in another folder
    write_posterior(tmp_path / "other", {**ROWS, IMPACT: [0.1, 0.3, 0.5, 0.71]})
    other = build_plan(load_study(study, tmp_path / "other"))
    plain = build_plan(load_study(write_study(tmp_path, "plain.yaml", **POSTERIOR_STUDY)))
    assert same.runs["key"].tolist() == with_a.runs["key"].tolist()
    assert not set(with_a.runs["key"]) & set(other.runs["key"])
    assert not set(with_a.runs["key"]) & set(plain.runs["key"])
    first = with_a.runs.iloc[0]  # the planner's key is run_key's, with the posterior's key
    key = run_key(with_a.resolved(int(first.point), first.lever), int(first.seed), with_a.code,
                  load_posterior(tmp_path / "post").key)
    assert key == first.key


def test_a_resumed_study_never_reuses_runs_of_another_posterior(study: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = sweep(study, out, executor=InProcess(), analyse=False)
    assert first.status == "complete" and first.skipped == 0
    write_posterior(tmp_path / "other", {**ROWS, IMPACT: [0.1, 0.3, 0.5, 0.71]})
    other = sweep(load_study(study, tmp_path / "other"), out, executor=InProcess(), analyse=False)
    assert other.skipped == 0 and other.ran == first.ran
    again = sweep(study, out, executor=InProcess(), analyse=False)
    assert again.ran == 0 and again.skipped == first.ran


def test_executors_agree_and_runs_equal_the_runner(study: Path, tmp_path: Path) -> None:
    here = sweep(study, tmp_path / "here", executor=InProcess())
    pool = sweep(study, tmp_path / "pool", executor=ProcessPool(2))
    assert here.status == pool.status == "complete"
    table = read_table(study, tmp_path / "here")
    pd.testing.assert_frame_equal(read_table(study, tmp_path / "pool"), table, check_exact=True)
    outputs = pd.read_csv(tmp_path / "here" / "outputs.csv")
    plan = build_plan(load_study(study))
    assert outputs[ROW_COLUMN].tolist() == plan.runs[ROW_COLUMN].tolist()
    assert pd.read_csv(tmp_path / "here" / "plan.csv")[ROW_COLUMN].tolist() == plan.runs[ROW_COLUMN].tolist()
    manifest = json.loads((tmp_path / "here" / "manifest.json").read_text())
    assert manifest["posterior"]["hash"] == load_posterior(study.parent / "post").hash
    run = plan.runs[plan.runs.lever == "training"].iloc[0]  # a study run equals simulation's run at the draw
    scenario, _ = load_posterior(study.parent / "post").apply(plan.scenario(int(run.point), "training"),
                                                              int(run.seed))
    frame = run_one(scenario, int(run.seed))
    final = frame[(frame.metric == "community_result") & (frame.month == frame.month.max())].value.item()
    assert outputs.loc[outputs.run == run.run, "result"].item() == final


def test_dask_gives_the_table_of_this_process(study: Path, tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    here = sweep(study, tmp_path / "here", executor=InProcess(), analyse=False)
    dask = sweep(study, tmp_path / "dask", scheduler="local", workers=1, analyse=False)
    assert here.status == dask.status == "complete", dask.failed
    pd.testing.assert_frame_equal(read_table(study, tmp_path / "dask"), read_table(study, tmp_path / "here"),
                                  check_exact=True)


def test_a_posterior_parameter_may_not_also_be_varied(tmp_path: Path) -> None:
    write_posterior(tmp_path / "post")
    path = write_study(tmp_path, posterior="post", uncertainties={IMPACT: {"low": 0.1, "high": 0.9}},
                       design={"method": "latin", "samples": 2})
    with pytest.raises(ScenarioFileError) as caught:
        load_study(path)
    assert f"uncertainties.{IMPACT}: {IMPACT} is also a parameter of the posterior" in str(caught.value)


def test_a_bad_posterior_names_its_file_and_the_study_field(tmp_path: Path) -> None:
    write_posterior(tmp_path / "post", {IMPACT: [0.5, 1.5], "weight": [0.5, 0.5]})
    path = write_study(tmp_path, posterior="post", **POSTERIOR_STUDY)
    with pytest.raises(ScenarioFileError) as caught:
        load_study(path)
    lines = str(caught.value).splitlines()
    assert lines[0].startswith(f"{tmp_path / 'post' / 'posterior.parquet'}: {IMPACT}: row 1 (value 1.5)")
    assert lines[1].startswith(f"{path}:") and "posterior: the posterior above cannot be used" in lines[1]


def test_sweep_takes_a_posterior_on_the_command_line(tmp_path: Path) -> None:
    write_posterior(tmp_path / "post")
    path = write_study(tmp_path, **POSTERIOR_STUDY)
    planned = leadsim("sweep", path, "--dry-run", "--posterior", "post", cwd=tmp_path)
    assert planned.returncode == 0, planned.stderr
    hashed = load_posterior(tmp_path / "post").hash
    assert f"each run draws its parameters from the posterior post (hash {hashed})" in planned.stdout
    assert_refused(leadsim("sweep", path, "--posterior", "nowhere", cwd=tmp_path), "nowhere: does not exist",
                   "--posterior: the posterior above cannot be used")
    assert not (tmp_path / "results").exists()
