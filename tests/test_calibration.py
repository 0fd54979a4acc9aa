"""leadsim calibrate: the calibrator recovers known parameters, leaves unconstrained ones at their prior, is
reproducible, resumes a killed run to the same posterior, writes the posterior contract, and refuses bad files.

Synthetic targets: an evidence file of the test's own whose interval is what the model measures at a known
parameter value (on other seeds) plus or minus a margin - so the test asserts how the calibrator behaves, not what
the model's defaults give. The measure is the L2L-like cohort at 300 people (a fraction of a second per particle).
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml
from cli_support import ROOT, assert_refused, leadsim

pytest.importorskip("pyabc")

from simulation import measures  # noqa: E402
from simulation.calibration.calibrate import calibrate  # noqa: E402
from simulation.calibration.spec import load_calibration  # noqa: E402
from simulation.problems import OutputError, ScenarioFileError  # noqa: E402

EFFECT = "interventions.individual_training.params.effect_size"
UNRELATED = "community.complementarity"  # the community result's; the cohort's learning never reads it
TRUTH = 0.7
PEOPLE = 300


def evidence_row(ident: str, low: float, high: float) -> dict:
    return {"id": ident, "quantity": "synthetic", "unit": "sd", "source": "this test", "checked": True,
            "interval": [low, high], "measure": {"runs": "the cohort", "measurement": "as l2l.learning"}}


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:
    """An evidence file whose l2l.learning interval is the model's measurement at effect size TRUTH +- 0.04."""
    folder = tmp_path_factory.mktemp("synthetic")
    measured = measures.measure_targets(["l2l.learning"], seeds=(101, 102, 103), people=PEOPLE,
                                        values={EFFECT: TRUTH})["l2l.learning"].value
    path = folder / "evidence.yaml"
    path.write_text(yaml.safe_dump({"version": 1, "targets": [evidence_row("l2l.learning", measured - 0.04,
                                                                           measured + 0.04)]}))
    return folder


def write_calibration(folder: Path, name: str = "synthetic", **changes) -> Path:
    spec = {"name": name, "evidence": "evidence.yaml", "people": PEOPLE,
            "parameters": {EFFECT: {"prior": "uniform", "low": 0.3, "high": 1.3},
                           UNRELATED: {"prior": "uniform", "low": 0.1, "high": 0.9}},
            "targets": ["l2l.learning"], "seeds": 2, "population": 30, "generations": 3, "predictive": 6,
            "seed": 5, **changes}
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False))
    return path


@pytest.fixture(scope="module")
def fitted(synthetic: Path):
    # 60 particles: the unrelated parameter's posterior is its prior resampled, and the 5-95% width of n uniform
    # draws is 0.84 +- 0.06 of the prior's at n = 30 (under the summary's 0.8 "not constrained" line in 22% of
    # samples) and 0.87 +- 0.04 at n = 60 (6%; 20,000 samples of each). The run is seeded, so the outcome is fixed.
    cal = load_calibration(write_calibration(synthetic, population=60))
    return cal, calibrate(cal, synthetic / "out")


def test_the_posterior_interval_contains_the_true_value_and_is_narrower_than_the_prior(fitted) -> None:
    _, outcome = fitted
    row = outcome.summary.set_index("parameter").loc[EFFECT]
    assert row["low"] <= TRUTH <= row["high"], row
    assert row["constrained"] and row["width_ratio"] < 0.5, row


def test_a_parameter_the_targets_do_not_read_stays_near_its_prior_and_is_reported(fitted) -> None:
    _, outcome = fitted
    row = outcome.summary.set_index("parameter").loc[UNRELATED]
    assert row["width_ratio"] > 0.6 and not row["constrained"], row
    from simulation.calibration.output import summary_lines
    assert UNRELATED in summary_lines(outcome.summary)[-1]


def test_rejected_particles_count_as_simulations_and_lower_the_acceptance(fitted) -> None:
    """After the prior sample, each generation's epsilon is the last one's median distance, so some proposals are
    rejected: they are simulations, and the acceptance rate (which stop.min_acceptance reads) is below 1."""
    cal, outcome = fitted
    later = outcome.generations.iloc[1:]
    assert len(later) >= 1
    assert (later["simulations"] > cal.spec.population).all()
    assert (later["acceptance"] < 1).all()


def test_the_folder_holds_the_posterior_contract_and_a_finished_manifest(fitted) -> None:
    cal, outcome = fitted
    post = pd.read_parquet(outcome.folder / "posterior.parquet")
    assert list(post.columns) == [EFFECT, UNRELATED, "weight"]
    assert all(post[c].dtype.kind == "f" for c in post.columns)
    assert len(post) == cal.spec.population and (post["weight"] >= 0).all()
    assert post["weight"].sum() == pytest.approx(1.0)
    manifest = json.loads((outcome.folder / "manifest.json").read_text())
    assert (manifest["tool"], manifest["kind"], manifest["status"]) == ("leadsim", "calibration", "finished")
    assert manifest["packages"]["pyabc"] and manifest["calibration"]["text_sha256"] == cal.text_sha256()
    for name in ("posterior.parquet", "history.db", "summary.csv", "figures/marginals.png", "figures/pairs.png",
                 "figures/generations.png", "figures/predictive.png"):
        assert name in manifest["files"], name
    predictive = pd.read_parquet(outcome.folder / "predictive.parquet")
    assert set(predictive["target"]) == {"l2l.learning"} and len(predictive) == cal.spec.predictive


def test_every_particle_value_is_applied_where_its_measure_runs_it() -> None:
    base = measures.community(PEOPLE)
    values = {EFFECT: 0.55, "interventions.hosting.params.cost_per_participant": 99, UNRELATED: 0.3}
    for scenario in measures.measure_scenarios("cohort_effects", PEOPLE, base, values):
        assert scenario.interventions[0].params["effect_size"] == 0.55
        assert scenario.community.complementarity == 0.3
    drift = measures.measure_scenarios("business_as_usual", PEOPLE, base, values)[0]
    assert drift.community.complementarity == 0.3 and not drift.interventions  # the hosting path: not run there


TINY = {"seeds": 1, "population": 10, "generations": 3, "predictive": 0}
"""A calibration small enough to run three times: for reproducibility and resumption, not for its posterior."""


@pytest.fixture(scope="module")
def tiny(synthetic: Path):
    path = write_calibration(synthetic, "tiny", **TINY)
    return path, calibrate(load_calibration(path), synthetic / "tiny-reference")


def test_the_same_calibration_gives_the_same_posterior_on_one_and_on_two_processes(synthetic: Path, tiny) -> None:
    path, reference = tiny
    again = calibrate(load_calibration(path), synthetic / "tiny-two", workers=2)
    pd.testing.assert_frame_equal(again.posterior, reference.posterior)


def test_max_simulations_is_a_hard_bound_and_a_generation_it_cuts_is_not_kept(synthetic: Path) -> None:
    path = write_calibration(synthetic, "capped", **{**TINY, "generations": 6, "stop": {"max_simulations": 25}})
    outcome = calibrate(load_calibration(path), synthetic / "capped")
    assert outcome.generations["simulations"].sum() <= 25
    assert len(outcome.generations) < 6 and len(outcome.posterior) == TINY["population"]
    assert "cut by stop.max_simulations" in outcome.stopped


def test_on_an_existing_dask_cluster_the_posterior_is_that_of_local_processes(synthetic: Path, tiny) -> None:
    pytest.importorskip("distributed")
    from simulation.studies.executors import DaskCluster

    path, reference = tiny
    with DaskCluster(workers=2) as cluster:  # a LocalCluster on 127.0.0.1, reached by its tcp:// address
        assert cluster.address.startswith("tcp://127.0.0.1:")
        on_dask = calibrate(load_calibration(path), synthetic / "tiny-dask", scheduler=cluster.address)
    pd.testing.assert_frame_equal(on_dask.posterior, reference.posterior)


def _killed_during_a_generation(command: list[str], cwd: Path, generation: int) -> None:
    """Start ``command``, SIGKILL it (by pid, its whole session) soon after generation ``generation`` began."""
    proc = subprocess.Popen(command, cwd=cwd, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
                            start_new_session=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    deadline = time.monotonic() + 120
    try:
        for line in proc.stderr:  # type: ignore[union-attr]
            if line.startswith(f"leadsim: generation {generation - 1}:"):
                time.sleep(0.3)  # into generation `generation`, which the sampler has begun
                break
            assert time.monotonic() < deadline, "no progress line in time"
        assert proc.poll() is None, "the calibration finished before it could be killed"
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)


def test_killed_during_a_generation_the_rerun_resumes_and_equals_an_uninterrupted_run(synthetic: Path,
                                                                                       tiny) -> None:
    path, reference = tiny
    out = synthetic / "killed"
    command = [sys.executable, "-m", "simulation.cli", "calibrate", str(path), "--out", str(out), "--workers", "1"]
    _killed_during_a_generation(command, synthetic, generation=2)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "running" and not (out / "posterior.parquet").exists()
    result = leadsim("calibrate", path, "--out", out, "--workers", "1", cwd=synthetic, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "resuming after generation 1" in result.stderr
    assert re.search(r"generation 2: epsilon \S+, acceptance [0-9.]+ \(10 particles from \d+ simulations\)",
                     result.stderr), result.stderr
    pd.testing.assert_frame_equal(pd.read_parquet(out / "posterior.parquet"), reference.posterior)


def test_ctrl_c_says_the_finished_generations_are_kept(synthetic: Path) -> None:
    path = write_calibration(synthetic, "interrupted", **TINY)
    out = synthetic / "interrupted-out"
    proc = subprocess.Popen([sys.executable, "-m", "simulation.cli", "calibrate", str(path), "--out", str(out),
                             "--workers", "1"], cwd=synthetic, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL,
                            text=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
                            # Ctrl-C as at a terminal: a job a shell starts in the background inherits SIGINT ignored
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        for line in proc.stderr:  # type: ignore[union-attr]
            if line.startswith("leadsim: generation 0:"):
                break
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)
    assert proc.returncode == 130, err
    assert "finished generations are kept" in err and "Traceback" not in err, err
    assert (out / "history.db").is_file()


def test_a_folder_of_another_calibration_file_is_refused(synthetic: Path, tiny) -> None:
    _, reference = tiny
    other = load_calibration(write_calibration(synthetic, name="other", **{**TINY, "seed": 6}))
    before = {p.name: p.stat().st_mtime_ns for p in reference.folder.iterdir()}
    with pytest.raises(OutputError, match="resuming would mix"):
        calibrate(other, reference.folder)
    assert {p.name: p.stat().st_mtime_ns for p in reference.folder.iterdir()} == before


BAD = {
    "unknown path": ({"parameters": {"learning.leader_suport": {"prior": "uniform", "low": 0.5, "high": 2}}},
                     ["parameters.learning.leader_suport", "Did you mean 'leader_support'"]),
    "impossible prior": ({"parameters": {EFFECT: {"prior": "loguniform", "low": 0.0, "high": 1.0}}},
                         ["parameters." + EFFECT, "needs low above 0"]),
    "empty prior": ({"parameters": {EFFECT: {"prior": "uniform", "low": 1.0, "high": 0.5}}},
                    ["must be below high"]),
    "beta shape": ({"parameters": {EFFECT: {"prior": "beta", "a": 0, "b": 2}}}, ["a must be above 0"]),
    "bound the model refuses": ({"parameters": {"initiatives.senior_buy_in": {"prior": "uniform", "low": 0,
                                                                              "high": 5}}},
                                ["the bound 5", "initiatives.senior_buy_in"]),
    "unknown target": ({"targets": ["l2l.learnin"]}, ["targets.0.id", "Did you mean 'l2l.learning'"]),
    "unmeasurable target": ({"targets": ["turnover.staff_monthly"]}, ["cannot measure 'turnover.staff_monthly'"]),
    "intervention no measure runs": ({"parameters": {"interventions.hosting.params.cost_per_participant":
                                                     {"prior": "uniform", "low": 10, "high": 20}}},
                                     ["no measurement of these targets runs an intervention named 'hosting'"]),
    "unknown field": ({"generation": 3}, ["unknown field 'generation'", "Did you mean 'generations'"]),
}


def bad_file(folder: Path, changes: dict) -> Path:
    spec = {"name": "bad", "parameters": {EFFECT: {"prior": "uniform", "low": 0.3, "high": 1.3}},
            "targets": ["l2l.learning"], "out": "out", **changes}
    path = folder / "bad.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False))
    return path


@pytest.mark.parametrize("case", list(BAD))
def test_a_bad_calibration_file_gets_one_clear_message(tmp_path: Path, case: str) -> None:
    changes, expected = BAD[case]
    path = bad_file(tmp_path, changes)
    with pytest.raises(ScenarioFileError) as error:
        load_calibration(path)
    assert len(error.value.problems) == 1, str(error.value)
    message = str(error.value)
    assert message.startswith(f"{path}:"), message
    for words in expected:
        assert words in message, (words, message)


def test_leadsim_calibrate_refuses_a_bad_file_with_exit_2_and_writes_nothing(tmp_path: Path) -> None:
    path = bad_file(tmp_path, BAD["unknown target"][0])
    result = leadsim("calibrate", path, cwd=tmp_path)
    assert_refused(result, f"{path}:", "targets.0.id", "l2l.learnin")
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.yaml"]


def test_calibrate_help_is_fast_and_loads_nothing_heavy(tmp_path: Path) -> None:
    result = leadsim("calibrate", "--help", cwd=tmp_path)
    assert result.returncode == 0 and "usage: leadsim calibrate" in result.stdout
    probe = ("import sys, simulation.cli; simulation.cli.build_parser(); "
             "print(any(m.split('.')[0] in ('pyabc', 'pandas', 'numpy') for m in sys.modules))")
    assert subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                          timeout=60).stdout.strip() == "False"


def test_the_shipped_calibration_is_valid_and_fits_every_measured_target() -> None:
    cal = load_calibration(ROOT / "experiments" / "calibration" / "default.yaml")
    assert [t.id for t in cal.targets] == list(measures.TARGETS)
    assert cal.people == 2000 and cal.spec.stop.wall_minutes <= 30


def test_degenerate_weights_are_reported_instead_of_intervals() -> None:
    """A posterior whose weight sits on one or two particles cannot say which parameters are constrained."""
    from simulation.calibration.output import effective_sample_size, summary_lines

    table = pd.DataFrame([{"parameter": EFFECT, "median": 0.7, "low": 0.69, "high": 0.71, "prior_low": 0.35,
                           "prior_high": 1.25, "width_ratio": 0.02, "constrained": True}])
    even = [1 / 60] * 60
    skewed = [0.834, 0.149] + [0.017 / 58] * 58
    assert effective_sample_size(even) == pytest.approx(60)
    assert effective_sample_size(skewed) < 2
    assert "effective sample size of the final weights: 60.0 of 60" in summary_lines(table, even)[-1]
    last = summary_lines(table, skewed)[-1]
    assert last.startswith("warning: the posterior rests on 1.4 effective particles of 60")
    assert not any(line.startswith("not constrained") for line in summary_lines(table, skewed))
