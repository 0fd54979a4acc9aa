"""A posterior in use: the draw rule, runs and comparisons under a posterior, the results' records, bad folders."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from cli_support import BASELINE, SMALL, TRAINING, assert_refused, leadsim
from posterior_support import EFFECT, IMPACT, ROWS, write_posterior
from scipy import stats

import simulation as sim
from simulation.execution import run_scenarios
from simulation.posterior import ROW_COLUMN, load_posterior
from simulation.problems import ScenarioFileError
from simulation.runner import run_one
from simulation.scenario_files import load_scenario

COMMUNITY = {"population": {"people": 200}, "months": 6}


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_posterior(tmp_path_factory.mktemp("posterior") / "post")


def scenarios() -> list[sim.Scenario]:
    """Business as usual and individual training, of 200 people over 6 months."""
    small = {"population.people": COMMUNITY["population"]["people"], "months": COMMUNITY["months"]}
    return [load_scenario(path, small).scenario for path in (BASELINE, TRAINING)]


# ---- the draw ---------------------------------------------------------------------------------------------------
def test_draws_follow_the_weights(folder: Path) -> None:
    """20,000 seeds: each row's share is within 5 binomial standard deviations of its weight (sd <= 0.0035 here,
    so at most 0.018 off; a wrong rule - uniform rows, or weights reversed - is 0.1 or more off), and a chi-square
    test of all four shares does not reject at 0.1% (the draws are fixed by the seeds: this cannot flake)."""
    posterior = load_posterior(folder)
    n = 20_000
    counts = np.bincount([posterior.row(seed) for seed in range(n)], minlength=len(posterior))
    weights = np.asarray(ROWS["weight"])
    sd = np.sqrt(weights * (1 - weights) / n)
    assert np.all(np.abs(counts / n - weights) < 5 * sd), counts / n
    assert stats.chisquare(counts, weights * n).pvalue > 0.001


def test_a_row_of_weight_zero_is_never_drawn(tmp_path: Path) -> None:
    posterior = load_posterior(write_posterior(tmp_path / "p", {IMPACT: [0.1, 0.2, 0.3], "weight": [0.5, 0.0, 0.5]}))
    assert 1 not in {posterior.row(seed) for seed in range(2_000)}


def test_the_draw_is_keyed_by_seed_and_content_hash(folder: Path, tmp_path: Path) -> None:
    posterior = load_posterior(folder)
    again = load_posterior(write_posterior(tmp_path / "copy"))  # same content, another folder
    other = load_posterior(write_posterior(tmp_path / "other", {**ROWS, IMPACT: [0.1, 0.3, 0.5, 0.71]}))
    seeds = range(200)
    assert again.hash == posterior.hash and other.hash != posterior.hash
    assert [again.row(s) for s in seeds] == [posterior.row(s) for s in seeds]
    assert [other.row(s) for s in seeds] != [posterior.row(s) for s in seeds]


def test_the_drawn_values_are_set_on_the_scenario(folder: Path) -> None:
    posterior = load_posterior(folder)
    none, training = scenarios()
    drawn, row = posterior.apply(training, 7)
    assert row == posterior.row(7)
    assert drawn.initiatives.impact == ROWS[IMPACT][row]
    assert drawn.interventions[0].params["effect_size"] == ROWS[EFFECT][row]
    plain, _ = posterior.apply(none, 7)  # no training to apply the training parameter to
    assert plain.initiatives.impact == ROWS[IMPACT][row] and plain.interventions == []


# ---- runs and comparisons -------------------------------------------------------------------------------------
def test_same_seed_same_draw_across_scenarios_and_executors(folder: Path) -> None:
    posterior = load_posterior(folder)
    here, _ = run_scenarios(scenarios(), 4, 5, workers=1, posterior=posterior)
    pool, _ = run_scenarios(scenarios(), 4, 5, workers=2, posterior=posterior)
    for a, b in zip(here, pool, strict=True):
        pd.testing.assert_frame_equal(a, b, check_exact=True)
    rows = [t.drop_duplicates("replication").set_index("replication")[ROW_COLUMN] for t in here]
    expected = [posterior.row(5 + r) for r in range(4)]
    assert rows[0].tolist() == rows[1].tolist() == expected
    assert list(here[0].columns) == ["scenario", "replication", "seed", ROW_COLUMN, "month", "metric", "value"]


def test_paired_differences_under_a_posterior(folder: Path) -> None:
    """compare_scenarios(posterior=...) equals running each replication by hand at its drawn values."""
    posterior = load_posterior(folder)
    comparison = sim.compare_scenarios(scenarios(), replications=3, seed=2, posterior=folder)
    by_hand = []
    for r in range(3):
        finals = []
        for scenario in scenarios():
            row = posterior.row(2 + r)
            values = {IMPACT: ROWS[IMPACT][row]}
            if scenario.interventions:
                values["interventions.0.params.effect_size"] = ROWS[EFFECT][row]
            frame = run_one(scenario.with_values(values), 2 + r, r)
            finals.append(frame[(frame.metric == "community_result") & (frame.month == 6)].value.item())
        by_hand.append(finals[1] - finals[0])
    assert comparison.change.iloc[1] == pytest.approx(np.mean(by_hand), abs=1e-12)
    assert comparison.sd_difference.iloc[1] == pytest.approx(np.std(by_hand, ddof=1), abs=1e-12)


def test_a_comparison_refuses_pairs_that_drew_different_rows(folder: Path) -> None:
    tables, _ = run_scenarios(scenarios(), 2, 1, posterior=load_posterior(folder))
    table = pd.concat(tables, ignore_index=True)
    table.loc[(table.scenario == "baseline") & (table.replication == 0), ROW_COLUMN] += 1
    with pytest.raises(ValueError, match="posterior_rows"):
        sim.paired_comparison(table)


# ---- the command line: records and bad folders ----------------------------------------------------------------
def test_run_and_compare_record_the_posterior(folder: Path, tmp_path: Path) -> None:
    posterior = load_posterior(folder)
    result = leadsim("compare", BASELINE, TRAINING, *SMALL, "-r", "3", "--seed", "4", "--posterior", folder,
                     "--out", "cmp", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"posterior: {folder} (hash {posterior.hash}, 4 rows)" in result.stdout
    manifest = json.loads((tmp_path / "cmp" / "manifest.json").read_text())
    assert manifest["posterior"] == {"folder": str(folder), "hash": posterior.hash, "draw_rule": "posterior-draw-1",
                                     "rows": 4, "parameters": [IMPACT, EFFECT]}
    summary = pd.read_csv(tmp_path / "cmp" / "summary.csv")
    expected = [posterior.row(seed) for seed in summary.seed]
    assert summary[ROW_COLUMN].tolist() == expected and summary.seed.tolist() == [4, 5, 6] * 2
    plain = leadsim("run", BASELINE, *SMALL, "-r", "1", "--out", "plain", cwd=tmp_path)
    assert plain.returncode == 0, plain.stderr
    assert json.loads((tmp_path / "plain" / "manifest.json").read_text())["posterior"] is None
    assert ROW_COLUMN not in pd.read_csv(tmp_path / "plain" / "summary.csv").columns


BAD = {
    "out of range": ({IMPACT: [0.5, 1.5], "weight": [0.5, 0.5]}, IMPACT, "less than or equal to 1"),
    "not a path": ({"initiatives.impakt": [0.5], "weight": [1.0]}, "initiatives.impakt", "Did you mean 'impact'"),
    "negative weight": ({IMPACT: [0.5, 0.6], "weight": [1.2, -0.2]}, "weight", "row 1 is -0.2"),
    "weights not summing to 1": ({IMPACT: [0.5, 0.6], "weight": [0.5, 0.4]}, "weight", "sum to 0.9"),
    "no weight": ({IMPACT: [0.5]}, "weight", "has no column 'weight'"),
    "text column": ({IMPACT: ["a"], "weight": [1.0]}, IMPACT, "Allowed: numbers"),
    "not finite": ({IMPACT: [float("nan")], "weight": [1.0]}, IMPACT, "not finite"),
    "unknown label": ({"interventions.coaching.params.x": [1.0], "weight": [1.0]},
                      "interventions.coaching.params.x", "no scenario runs an intervention named 'coaching'"),
    "intervention parameter out of range": ({EFFECT: [9.0], "weight": [1.0]}, EFFECT, "less than or equal to 5"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_a_bad_posterior_is_one_clear_error_and_writes_nothing(case: str, tmp_path: Path) -> None:
    columns, column, message = BAD[case]
    write_posterior(tmp_path / "bad", columns)
    result = leadsim("run", TRAINING, *SMALL, "-r", "1", "--posterior", "bad", "--out", "out", cwd=tmp_path)
    assert_refused(result, str(Path("bad") / "posterior.parquet"), f": {column}: ", message)
    assert not (tmp_path / "out").exists()


def test_missing_files_and_set_conflicts_are_clear_errors(folder: Path, tmp_path: Path) -> None:
    missing = leadsim("run", BASELINE, "--posterior", "nowhere", cwd=tmp_path)
    assert_refused(missing, "nowhere: does not exist", "leadsim calibrate")
    (tmp_path / "empty").mkdir()
    assert_refused(leadsim("run", BASELINE, "--posterior", "empty", cwd=tmp_path),
                   str(Path("empty") / "manifest.json"), "is missing")
    (tmp_path / "empty" / "manifest.json").write_text("{}")
    assert_refused(leadsim("run", BASELINE, "--posterior", "empty", cwd=tmp_path),
                   str(Path("empty") / "posterior.parquet"), "is missing")
    conflict = leadsim("run", TRAINING, *SMALL, "--set", f"{IMPACT}=0.2", "--posterior", folder, "--out", "out",
                       cwd=tmp_path)
    assert_refused(conflict, f"posterior.parquet: {IMPACT}: --set {IMPACT} sets the same parameter")
    assert not (tmp_path / "out").exists()


def test_the_api_raises_the_same_errors(tmp_path: Path) -> None:
    write_posterior(tmp_path / "bad", {IMPACT: [0.5, 1.5], "weight": [0.5, 0.5]})
    with pytest.raises(ScenarioFileError, match="initiatives.impact: row 1 .value 1.5."):
        sim.run(sim.Scenario(**COMMUNITY), 1, posterior=tmp_path / "bad")
