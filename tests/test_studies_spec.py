"""Study files: the shipped ones are valid; bad ones get one clear message (file, field, allowed), exit 2, no output."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from studies_support import EXPERIMENTS, ROOT, TINY, study_data, write_study

from simulation.cli import main
from simulation.scenario_files import ScenarioFileError
from simulation.studies import build_plan, load_study

SHIPPED = sorted(EXPERIMENTS.glob("*.yaml"))


def refused(tmp_path: Path, capsys: pytest.CaptureFixture[str], study: Path, *names: str,
            extra: tuple[str, ...] = ()) -> str:
    """`leadsim sweep STUDY` exits 2 with a message naming each of ``names``, and writes nothing."""
    out = tmp_path / "out"
    before = set(tmp_path.rglob("*"))
    status = main(["sweep", str(study), "--out", str(out), "--workers", "1", *extra])
    err = capsys.readouterr().err
    assert status == 2, err
    assert err.startswith("leadsim: error:"), err
    assert "Traceback" not in err
    for name in names:
        assert name in err, (name, err)
    assert not out.exists()
    assert set(tmp_path.rglob("*")) == before  # nothing written anywhere
    return err


@pytest.mark.parametrize("path", SHIPPED, ids=[p.name for p in SHIPPED])
def test_shipped_studies_validate_and_plan(path: Path) -> None:
    study = load_study(path)
    plan = build_plan(study)
    assert len(plan.runs) >= 2 and plan.runs["key"].notna().all()
    # every lever runs at every point on the same seeds: common random numbers across the study
    seeds = plan.runs.groupby(["point", "replication"])["seed"].nunique()
    assert (seeds == 1).all()


def test_shipped_studies_exist() -> None:
    names = {p.name for p in SHIPPED}
    assert {"scaling.yaml", "morris.yaml", "sobol.yaml", "where.yaml"} <= names


def test_scaling_study_covers_sizes_and_budgets() -> None:
    spec = load_study(EXPERIMENTS / "scaling.yaml").spec
    assert {500, 5000, 50_000} <= set(spec.factors["population.people"])
    assert len(spec.factors["budget_per_person"]) >= 3
    assert spec.design.method == "factorial" and spec.analysis.scaling


def test_scaling_study_has_every_registered_strategy() -> None:
    from simulation import REGISTRY

    spec = load_study(EXPERIMENTS / "scaling.yaml").spec
    types = {i["type"] for lever in spec.levers for i in lever.set.get("interventions", [])}
    assert types == set(REGISTRY) - {"null"}


def test_tiny_study_plans_every_run(tmp_path: Path) -> None:
    plan = build_plan(load_study(write_study(tmp_path)))
    d = len(TINY["uncertainties"])
    assert len(plan.runs) == TINY["design"]["samples"] * (d + 1) * 2 * TINY["replications"]


@pytest.mark.parametrize(("changes", "names"), [
    ({"levers_": [{"name": "a"}]}, ["unknown field 'levers_'", "Did you mean 'levers'"]),
    ({"outputs": None}, ["outputs", "required"]),
    ({"design": {"method": "sobol", "samples": 100}}, ["design", "power of 2", "try 64 or 128"]),
    ({"design": {"method": "latin_square", "samples": 10}}, ["design.method", "factorial", "morris"]),
    ({"replications": 0}, ["replications", "greater than or equal to 1"]),
    ({"uncertainties": {"community.complementarty": {"low": 0.1, "high": 0.5}}},
     ["uncertainties.community.complementarty", "no field 'complementarty'", "Did you mean 'complementarity'"]),
    ({"uncertainties": {"community.complementarity": {"low": 0.1, "high": 1.5}}},
     ["uncertainties.community.complementarity", "1.5", "from 0 to 0.99"]),
    ({"uncertainties": {"community.complementarity": {"low": 0.5, "high": 0.1}}},
     ["uncertainties.community.complementarity", "low (0.5) must be below high (0.1)"]),
    ({"uncertainties": {"community.complementarity": {"distribution": "normal", "low": 0.1}}},
     ["uncertainties.community.complementarity", "takes mean, sd", "missing mean, sd"]),
    ({"uncertainties": {"turnover.shock_target": {"low": 0, "high": 1}}},
     ["uncertainties.turnover.shock_target", "only numeric fields can be sampled"]),
    ({"levers": [{"name": "x", "set": {"interventions": [{"type": "individual_trainin"}]}}]},
     ["levers.0.set", "unknown intervention 'individual_trainin'", "Did you mean 'individual_training'"]),
    ({"levers": [{"name": "x"}, {"name": "x"}]}, ["levers.1.name", "named 'x'"]),
    ({"outputs": [{"name": "r", "metric": "community_reslt"}]},
     ["outputs.0.metric", "unknown metric 'community_reslt'", "Did you mean 'community_result'"]),
    ({"outputs": [{"name": "r", "metric": "community_result", "minus": "nobody"}]},
     ["outputs.0.minus", "unknown lever 'nobody'", "none, training"]),
    ({"outputs": [{"name": "r", "ratio": ["a", "b"]}]}, ["outputs.0.ratio", "not an earlier output"]),
    ({"design": {"method": "factorial"}}, ["latin, sobol or morris"]),
    ({"uncertainties": {"community.complementarity": {"distribution": "normal", "mean": 0.5, "sd": 0.1}}},
     ["morris samples the 0 and 1 quantiles", "truncnormal"]),
    ({"factors": {"community.complementarity": [0.2, 2.0]}},
     ["factors.community.complementarity", "value 2.0", "from 0 to 0.99"]),
    ({"factors": {"budget": [1000]}, "design": {"method": "factorial"}, "uncertainties": None},
     ["factors.budget", "would replace levers.1.set.budget"]),
    ({"scenario": {"population": {"peeple": 300}}}, ["scenario.population.peeple", "Did you mean 'people'"]),
    ({"base": "no_such_scenario.yaml", "scenario": None}, ["no_such_scenario.yaml", "no such file", "base"]),
])
def test_bad_study_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str], changes: dict,
                              names: list[str]) -> None:
    data = study_data()
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    refused(tmp_path, capsys, path, str(path), *names)


def test_sampled_value_out_of_range_is_refused_before_writing(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    """A normal distribution's tail leaves the field's range: found when the plan is built, blamed on the field."""
    study = write_study(tmp_path, design={"method": "latin", "samples": 20, "seed": 1}, uncertainties={
        "community.complementarity": {"distribution": "normal", "mean": 0.5, "sd": 0.5}})
    err = refused(tmp_path, capsys, study, str(study), "uncertainties.community.complementarity", "point ")
    assert "less than or equal to 0.99" in err or "greater than or equal to 0" in err


def test_line_numbers_point_at_the_field(tmp_path: Path) -> None:
    path = tmp_path / "lines.yaml"
    text = yaml.safe_dump(study_data(), sort_keys=False).replace("community.complementarity:",
                                                                 "community.complementarty:")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioFileError) as info:
        load_study(path)
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "complementarty" in row)
    assert f"{path}:{line}:" in str(info.value)


@pytest.mark.parametrize(("text", "names"), [
    ("name: [unclosed\n", ["is not valid YAML"]),
    ("!!python/object/apply:os.system ['echo hi']\n", ["!!python/object/apply:os.system", "not allowed"]),
    ("", ["a study is a mapping"]),
    ("- just\n- a list\n", ["a study is a mapping"]),
])
def test_malformed_files_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str,
                                     names: list[str]) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    refused(tmp_path, capsys, path, str(path), *names)


def test_missing_study_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    refused(tmp_path, capsys, tmp_path / "nope.yaml", "nope.yaml", "no such file")


def test_bad_options_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    study = write_study(tmp_path)
    refused(tmp_path, capsys, study, "--scheduler", "tcp://HOST:PORT", extra=("--scheduler", "somewhere"))


def test_output_folder_of_something_else_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    study = write_study(tmp_path)
    other = tmp_path / "out"
    other.mkdir()
    (other / "notes.txt").write_text("mine")
    status = main(["sweep", str(study), "--out", str(other)])
    err = capsys.readouterr().err
    assert status == 2 and "not a leadsim results folder" in err
    assert sorted(p.name for p in other.iterdir()) == ["notes.txt"]


def test_bad_study_through_the_installed_command(tmp_path: Path) -> None:
    """End to end in a subprocess: exit status 2, one message, no traceback, nothing written."""
    path = write_study(tmp_path, replications=-1)
    result = subprocess.run([sys.executable, "-m", "simulation.cli", "sweep", str(path), "--out", "out"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=120,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(f"leadsim: error: {path}:") and "replications" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def _line_of(path: Path, text: str) -> int:
    return next(i for i, row in enumerate(path.read_text().splitlines(), 1) if text in row)


def test_an_empty_factor_list_is_refused_by_the_dry_run_and_the_sweep(tmp_path: Path,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    """An empty list of values would make a study of 0 runs: refused at validation, with its line."""
    study = write_study(tmp_path, factors={"community.complementarity": []}, uncertainties=None,
                        design={"method": "factorial"})
    where = f"{study}:{_line_of(study, 'community.complementarity')}: factors.community.complementarity"
    err = refused(tmp_path, capsys, study, where, "at least one value", extra=("--dry-run",))
    assert err.count("leadsim: error:") == 1
    refused(tmp_path, capsys, study, where, "at least one value")


@pytest.mark.parametrize(("design", "names"), [
    ({"method": "sobol", "samples": 2**23, "seed": 1},
     ["design.samples", "33,554,432 sobol points", "134,217,728 runs", "at most 1,000,000", "samples: 32768"]),
    ({"method": "latin", "samples": 10_000_000}, ["design.samples", "40,000,000 runs", "samples: 250000"]),
    ({"method": "morris", "samples": 5_000_000}, ["design.samples", "60,000,000 runs", "samples: 83333"]),
])
def test_a_design_too_large_to_plan_is_refused_at_once(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                       design: dict, names: list[str]) -> None:
    """The run count is a closed form of the design, checked before any sample is drawn: no waiting, no memory."""
    import time

    study = write_study(tmp_path, design=design)
    started = time.perf_counter()
    err = refused(tmp_path, capsys, study, f"{study}:{_line_of(study, 'samples:')}:", *names, extra=("--dry-run",))
    assert time.perf_counter() - started < 10, err
    assert err.count("leadsim: error:") == 1


def test_a_factor_grid_too_large_is_refused_at_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    values = [round(0.1 + i * 0.0001, 4) for i in range(1000)]
    study = write_study(tmp_path, uncertainties=None, design={"method": "factorial"},
                        factors={"community.complementarity": values, "network.triadic_closure": values})
    refused(tmp_path, capsys, study, "factors", "1,000,000 factor combinations", "4,000,000 runs",
            "at most 1,000,000", extra=("--dry-run",))


@pytest.mark.parametrize(("design", "minimum"), [
    ({"method": "sobol", "samples": 1}, "at least 2 base samples"),
    ({"method": "morris", "samples": 1}, "at least 2 trajectories"),
    ({"method": "latin", "samples": 1}, "at least 2 samples"),
])
def test_designs_too_small_for_any_interval_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                         design: dict, minimum: str) -> None:
    """One sample, trajectory or base sample: every bootstrap resample is the same, so the interval would be 0."""
    study = write_study(tmp_path, design=design)
    err = refused(tmp_path, capsys, study, f"{study}:{_line_of(study, 'samples:')}: design.samples", minimum,
                  "interval", extra=("--dry-run",))
    assert "Traceback" not in err
