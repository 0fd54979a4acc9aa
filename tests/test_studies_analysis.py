"""The sensitivity and scaling analyses recover known answers through the same code path as model outputs.

Analytic functions stand in for the model by replacing the sweep's runner: the study file, the design, the plan,
the run keys, the store, the outputs and the analysis are exactly those of a model study.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from simulation.studies import InProcess, Outcome, Task, build_plan, load_study, returns_to_scale, sweep

# Three scenario fields with range [0, 1] carry the analytic function's inputs; Sobol indices do not change under
# the affine map to the function's own domain.
INPUTS = ["network.sector_homophily", "network.group_homophily", "network.triadic_closure"]


def inputs_of(task: Task) -> np.ndarray:
    s = json.loads(task.scenario)
    return np.array([s["network"]["sector_homophily"], s["network"]["group_homophily"],
                     s["network"]["triadic_closure"]])


def outcome(task: Task, value: float) -> Outcome:
    return Outcome(task.key, np.zeros(1, dtype=np.int64), np.array(["community_result"], dtype=object),
                   np.array([value]), 0.0, "analytic")


def ishigami(task: Task) -> Outcome:
    x = -math.pi + 2 * math.pi * inputs_of(task)
    return outcome(task, math.sin(x[0]) + 7 * math.sin(x[1]) ** 2 + 0.1 * x[2] ** 4 * math.sin(x[0]))


def linear(task: Task) -> Outcome:
    return outcome(task, float(inputs_of(task) @ np.array([2.0, -0.5, 0.0])))


def ishigami_indices(a: float = 7.0, b: float = 0.1) -> dict[str, float]:
    """Analytic Sobol indices of the Ishigami function (Ishigami & Homma 1990; Sobol' & Levitan 1999)."""
    pi4, pi8 = math.pi**4, math.pi**8
    d = a**2 / 8 + b * pi4 / 5 + b**2 * pi8 / 18 + 0.5
    d1 = b * pi4 / 5 + b**2 * pi8 / 50 + 0.5
    d2 = a**2 / 8
    d13 = b**2 * pi8 / 18 - b**2 * pi8 / 50
    return {"S1 x1": d1 / d, "S1 x2": d2 / d, "S1 x3": 0.0, "ST x1": (d1 + d13) / d, "ST x2": d2 / d,
            "ST x3": d13 / d}


def analytic_study(folder: Path, design: dict, name: str = "analytic", resamples: int = 500) -> Path:
    data = {
        "name": name,
        "scenario": {"months": 1, "population": {"people": 50}},
        "uncertainties": {path: {"low": 0.0, "high": 1.0} for path in INPUTS},
        "design": design,
        "outputs": [{"name": "y", "metric": "community_result"}],
        "analysis": {"max_ci": 0.1, "resamples": resamples},
        "store": {"shard_runs": 1000},
    }
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def test_ishigami_sobol_indices_are_recovered(tmp_path: Path) -> None:
    study = analytic_study(tmp_path, {"method": "sobol", "samples": 1024, "seed": 42})
    report = sweep(study, tmp_path / "out", executor=InProcess(), runner=ishigami)
    assert report.status == "complete" and report.ran == 1024 * 5
    table = pd.read_csv(tmp_path / "out" / "sensitivity.csv")
    got = {f"{r.index} x{INPUTS.index(r.parameter) + 1}": (r.value, r.conf) for r in table.itertuples()}
    for name, truth in ishigami_indices().items():
        value, conf = got[name]
        # Saltelli/Jansen estimators at N = 1024 have a standard error of about 0.02 here (SALib's bootstrap
        # half-widths are 0.02-0.06); 0.06 is about three standard errors, and the interval must cover the truth.
        assert abs(value - truth) < 0.06, (name, value, truth)
        assert value - conf - 0.01 <= truth <= value + conf + 0.01, (name, value, conf, truth)
    assert (tmp_path / "out" / "figures" / "sensitivity_base.png").stat().st_size > 5000


def test_too_few_samples_earn_a_warning_with_the_sample_size_needed(tmp_path: Path) -> None:
    study = analytic_study(tmp_path, {"method": "sobol", "samples": 32, "seed": 1})
    report = sweep(study, tmp_path / "out", executor=InProcess(), runner=ishigami)
    notes = [n for n in report.warnings if "Sobol intervals" in n]
    assert len(notes) == 1, report.warnings
    width = float(notes[0].split("up to +/-")[1].split()[0])
    need = int(notes[0].split("about N = ")[1].split()[0].replace(",", ""))
    assert width > 0.1
    # half-widths shrink like 1/sqrt(N): N x (width / 0.1)^2, rounded up to a power of 2
    assert need == 1 << (math.ceil(32 * (width / 0.1) ** 2) - 1).bit_length()
    assert f"({need * 5:,} runs)" in notes[0]


def test_morris_recovers_the_effects_of_a_linear_function(tmp_path: Path) -> None:
    study = analytic_study(tmp_path, {"method": "morris", "samples": 10, "levels": 4, "seed": 3})
    sweep(study, tmp_path / "out", executor=InProcess(), runner=linear)
    table = pd.read_csv(tmp_path / "out" / "sensitivity.csv").set_index(["parameter", "index"])["value"]
    # elementary effects of a linear function are its coefficients x the range (1 here), exactly
    for path, coefficient in zip(INPUTS, [2.0, -0.5, 0.0], strict=True):
        assert table[(path, "mu_star")] == pytest.approx(abs(coefficient), abs=1e-9)
        assert table[(path, "mu")] == pytest.approx(coefficient, abs=1e-9)
        assert table[(path, "sigma")] == pytest.approx(0.0, abs=1e-9)


def test_latin_hypercube_gets_first_order_indices(tmp_path: Path) -> None:
    study = analytic_study(tmp_path, {"method": "latin", "samples": 2000, "seed": 5}, resamples=100)
    sweep(study, tmp_path / "out", executor=InProcess(), runner=ishigami)
    table = pd.read_csv(tmp_path / "out" / "sensitivity.csv")
    s1 = table[table["index"] == "S1"].set_index("parameter")
    truth = ishigami_indices()
    for k, path in enumerate(INPUTS):
        # Plischke's estimator from 2,000 points has bootstrap half-widths of 0.015-0.04 here; 0.06 is ~3 sd
        assert s1.loc[path, "value"] == pytest.approx(truth[f"S1 x{k + 1}"], abs=0.06)
    assert "delta" not in set(table["index"])  # only on request (it is slow)


def test_latin_hypercube_parameter_without_effect_gets_an_index_near_zero(tmp_path: Path) -> None:
    """RBD-FAST's bias-corrected S1: the third input of ``linear`` has no effect; the others share the variance."""
    study = analytic_study(tmp_path, {"method": "latin", "samples": 300, "seed": 5}, resamples=200)
    sweep(study, tmp_path / "out", executor=InProcess(), runner=linear)
    s1 = pd.read_csv(tmp_path / "out" / "sensitivity.csv").query("index == 'S1'").set_index("parameter")
    none = s1.loc[INPUTS[2]]
    assert abs(none["value"]) < 0.05 and none["ci_low"] <= 0.0 <= none["ci_high"], none
    for path, truth in ((INPUTS[0], 4 / 4.25), (INPUTS[1], 0.25 / 4.25)):  # coefficients 2 and -0.5, squared
        row = s1.loc[path]
        assert row["ci_low"] - 0.01 <= truth <= row["ci_high"] + 0.01 and row["ci_high"] - row["ci_low"] < 0.3, row


def test_sensitivity_command_prints_latin_indices_with_intervals(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    from simulation.cli import main

    study = analytic_study(tmp_path, {"method": "latin", "samples": 120, "seed": 2}, resamples=50)
    sweep(study, tmp_path / "out", executor=InProcess(), runner=linear)
    capsys.readouterr()
    assert main(["sensitivity", str(study), "--out", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    assert "latin: first-order S1, RBD-FAST, 95% bootstrap interval" in out
    printed = re.findall(r"^  (\S+) +(-?[\d.e+-]+) \[(-?[\d.e+-]+), (-?[\d.e+-]+)\]$", out, flags=re.M)
    assert [p[0] for p in printed] == INPUTS  # every parameter, the most influential first, each with numbers
    for _, value, low, high in printed:
        assert float(low) <= float(value) <= float(high)
    assert (tmp_path / "out" / "figures" / "sensitivity_base.png").stat().st_size > 5000


def test_latin_hypercube_delta_on_request(tmp_path: Path) -> None:
    data = yaml.safe_load(analytic_study(tmp_path, {"method": "latin", "samples": 300, "seed": 5},
                                         resamples=10).read_text())
    data["analysis"]["delta"] = True
    path = tmp_path / "delta.yaml"
    path.write_text(yaml.safe_dump(data))
    sweep(path, tmp_path / "out", executor=InProcess(), runner=ishigami)
    table = pd.read_csv(tmp_path / "out" / "sensitivity.csv")
    delta = table[table["index"] == "delta"].set_index("parameter")["value"]
    assert delta[INPUTS[1]] > delta[INPUTS[2]] > 0  # x2 matters most; x3 only through its interaction


def test_sensitivity_of_a_paired_difference(tmp_path: Path) -> None:
    """The difference between two levers on common random numbers is an output like any other."""
    data = yaml.safe_load(analytic_study(tmp_path, {"method": "morris", "samples": 6, "seed": 3}).read_text())
    data["levers"] = [{"name": "a"}, {"name": "b", "set": {"learning.learning_by_doing": 0.02}}]
    data["outputs"].append({"name": "b_minus_a", "metric": "community_result", "minus": "a"})
    path = tmp_path / "paired.yaml"
    path.write_text(yaml.safe_dump(data))

    def lever_effect(task: Task) -> Outcome:  # lever b adds 3 x the first input; a common noise term cancels
        s = json.loads(task.scenario)
        u = inputs_of(task)
        noise = math.sin(task.seed * 12.9898) * 5
        extra = 3 * u[0] if s["learning"]["learning_by_doing"] == 0.02 else 0.0
        return outcome(task, float(u @ [1.0, 1.0, 1.0]) + extra + noise)

    data["replications"] = 3
    path.write_text(yaml.safe_dump(data))
    sweep(path, tmp_path / "out", executor=InProcess(), runner=lever_effect)
    table = pd.read_csv(tmp_path / "out" / "sensitivity.csv")
    diff = table[(table["output"] == "b_minus_a") & (table["index"] == "mu_star")].set_index("parameter")["value"]
    assert diff[INPUTS[0]] == pytest.approx(3.0) and diff[INPUTS[1]] == pytest.approx(0.0, abs=1e-12)
    assert set(table[table["output"] == "b_minus_a"]["lever"]) == {"b"}  # a - a is not analysed


def test_returns_to_scale_recovers_known_exponents() -> None:
    """gain = 0.002 x bpp^0.7 x people^-0.3 x lognormal noise shared by a replication across cells (CRN)."""
    rng = np.random.default_rng(0)
    rows = []
    for rep in range(12):
        common = rng.normal(0, 0.1)
        for people in (500, 5000, 50_000):
            for bpp in (100, 300, 900):
                own = rng.normal(0, 0.02)
                gain = 0.002 * bpp**0.7 * people**-0.3 * math.exp(common + own)
                rows.append({"lever": "x", "replication": rep, "budget": bpp * people, "people": people,
                             "gain": gain})
    # a lever whose gain is never positive cannot be fitted on logs: reported as excluded, not dropped silently
    rows += [{**r, "lever": "flat", "gain": -abs(r["gain"])} for r in rows if r["lever"] == "x"]
    fits = returns_to_scale(pd.DataFrame(rows), "gain", resamples=400, seed=1).set_index(["lever", "term"])
    budget, size = fits.loc[("x", "budget")], fits.loc[("x", "size")]
    assert budget["estimate"] == pytest.approx(0.7, abs=0.03) and budget["ci_low"] < 0.7 < budget["ci_high"]
    assert size["estimate"] == pytest.approx(-0.3, abs=0.03) and size["ci_low"] < -0.3 < size["ci_high"]
    assert fits.loc[("x", "budget@people=5,000"), "estimate"] == pytest.approx(0.7, abs=0.05)
    assert np.isnan(fits.loc[("flat", "budget"), "estimate"])
    assert fits.loc[("flat", "budget"), "cells_excluded"] == 9


def test_plan_of_an_analytic_study_is_sobol_sized(tmp_path: Path) -> None:
    plan = build_plan(load_study(analytic_study(tmp_path, {"method": "sobol", "samples": 64, "seed": 1,
                                                           "second_order": True})))
    assert len(plan.runs) == 64 * (2 * 3 + 2)


def test_a_scaling_study_end_to_end(tmp_path: Path) -> None:
    """A small scaling study through the model: exponents per strategy (not for the reference) and figures."""
    data = {
        "name": "mini_scaling",
        "scenario": {"months": 12, "population": {"people": 300}},
        "levers": [{"name": "none"},
                   {"name": "leader", "set": {"interventions": [{"type": "individual_training",
                                                                  "params": {"cost_per_participant": 2000}}]}}],
        "factors": {"population.people": [200, 400], "budget_per_person": [100, 300]},
        "replications": 3,
        "seed": 5,
        "outputs": [{"name": "gain", "metric": "community_result", "minus": "none"},
                    {"name": "cost", "metric": "cost_spent"},
                    {"name": "cost_per_point", "ratio": ["cost", "gain"], "per": 0.01}],
        "analysis": {"scaling": "gain", "scaling_cost": "cost_per_point", "resamples": 100},
    }
    path = tmp_path / "mini.yaml"
    path.write_text(yaml.safe_dump(data))
    report = sweep(path, tmp_path / "out", executor=InProcess())
    assert report.unique == 2 * 3 + 4 * 3  # business as usual runs once per size and seed, whatever the budget
    fits = pd.read_csv(tmp_path / "out" / "scaling.csv")
    assert set(fits["lever"]) == {"leader"} and {"budget", "size"} <= set(fits["term"])
    main = fits[fits["term"].isin(["budget", "size"])]
    assert main["estimate"].notna().all()  # per-size rows may be NaN: too few positive cells
    for name in ("scaling.png", "scaling_cost.png"):
        assert (tmp_path / "out" / "figures" / name).stat().st_size > 10_000


@pytest.mark.parametrize("method", ["sobol", "morris", "latin"])
def test_an_interval_from_a_single_unit_is_unknown_not_certain(method: str) -> None:
    """One base sample, trajectory or sample: SALib's bootstrap says zero width; that is no knowledge at all."""
    from simulation.studies.analysis import analyse
    from simulation.studies.designs import sample

    problem = {"num_vars": 3, "names": ["a", "b", "c"], "bounds": [[0.0, 1.0]] * 3, "dists": ["unif"] * 3}
    X = sample(method, problem, 1, seed=1)
    Y = np.sin(6 * X[:, 0]) + 3 * X[:, 1] ** 2 + X[:, 0] * X[:, 2]
    idx = analyse(method, problem, X, Y, resamples=50)
    with_interval = idx[idx["index"].isin(["S1", "ST", "mu_star"])]
    assert len(with_interval) and with_interval["conf"].isna().all(), with_interval
    assert with_interval["ci_low"].isna().all() and with_interval["ci_high"].isna().all()


def test_unknown_intervals_earn_a_warning(tmp_path: Path) -> None:
    """The wide-interval check must not read an unknown (NaN) interval as a narrow one."""
    from simulation.studies.analysis import precision_warning

    plan = build_plan(load_study(analytic_study(tmp_path, {"method": "sobol", "samples": 8, "seed": 1})))
    idx = pd.DataFrame({"parameter": INPUTS * 2, "index": ["S1"] * 3 + ["ST"] * 3,
                        "value": [0.2, 0.3, 0.1, 0.3, 0.4, 0.1], "conf": [0.01, math.nan, 0.01] * 2})
    note = precision_warning(plan, idx, "y (base)")
    assert note is not None and "2 of 6 index intervals are unknown" in note and "8 base samples" in note
