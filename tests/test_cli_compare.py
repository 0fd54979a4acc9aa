"""`leadsim compare` end to end: common random numbers, paired differences and their 95% intervals."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from cli_support import BASELINE, NULL, SMALL, TRAINING, assert_refused, leadsim, tree
from scipy import stats

from simulation.compare import paired_comparison

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def compared(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    cwd = tmp_path_factory.mktemp("compare")
    result = leadsim("compare", BASELINE, TRAINING, NULL, *SMALL, "-r", "4", "--seed", "3", "--out", "cmp",
                     "--workers", "2", cwd=cwd)
    assert result.returncode == 0, result.stderr
    return cwd / "cmp", result


def test_compare_prints_the_paired_table(compared) -> None:
    folder, result = compared
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Paired comparison on common random numbers: 4 replications (seeds 3-6), month 12")
    assert "change vs baseline in points (1 point = 0.01 of the community result)" in lines[1]
    assert lines[3].split()[0] == "baseline" and "(reference)" in lines[3]
    assert lines[4].split()[0] == "individual_training" and "[" in lines[4]
    assert lines[5].split()[0] == "null_intervention" and lines[5].split()[2:6] == ["+0.00", "[+0.00,", "+0.00]",
                                                                                    "same"]
    comparison = pd.read_csv(folder / "comparison.csv").set_index("scenario")
    training = comparison.loc["individual_training"]
    shown = lines[4].split()  # the change and its interval in points, as the csv has them in result units
    assert shown[2:5] == [f"{training.change / 0.01:+.2f}", f"[{training.ci_low / 0.01:+.2f},",
                          f"{training.ci_high / 0.01:+.2f}]"]
    assert shown[5] == training.verdict
    assert f"figure: {Path('cmp') / 'figures' / 'compare.png'}" in result.stdout
    assert {"comparison.csv", "metrics.parquet", "summary.csv", "manifest.json", "figures/compare.png",
            "figures/community_result.png", "figures/levels.png", "scenarios/1_baseline.yaml",
            "scenarios/2_individual_training.yaml", "scenarios/3_null_intervention.yaml"} <= tree(folder)
    assert (folder / "figures" / "compare.png").read_bytes().startswith(PNG)


def test_paired_differences_and_intervals(compared) -> None:
    folder, _ = compared
    table = pd.read_parquet(folder / "metrics.parquet")
    comparison = pd.read_csv(folder / "comparison.csv")
    assert comparison.scenario.tolist() == ["baseline", "individual_training", "null_intervention"]
    final = table[(table.metric == "community_result") & (table.month == 12)]
    by = final.pivot(index="replication", columns="scenario", values="value")
    diff = (by["individual_training"] - by["baseline"]).to_numpy()
    half = stats.t.ppf(0.975, len(diff) - 1) * diff.std(ddof=1) / np.sqrt(len(diff))
    row = comparison.set_index("scenario").loc["individual_training"]
    assert row.change == pytest.approx(diff.mean(), rel=1e-9)
    assert (row.ci_low, row.ci_high) == pytest.approx((diff.mean() - half, diff.mean() + half), rel=1e-9)
    assert row.people_reached > 0 and 0 < row.cost_spent <= 600_000  # the shared budget caps the spending
    if row.verdict == "ahead":
        assert row.cost_per_point == pytest.approx((row.cost_spent - 0) / (row.change / 0.01))
    else:
        assert np.isnan(row.cost_per_point)


def test_null_intervention_matches_the_baseline_exactly(compared) -> None:
    """Common random numbers: a programme that reaches no one leaves every number of the baseline unchanged."""
    folder, _ = compared
    comparison = pd.read_csv(folder / "comparison.csv").set_index("scenario")
    assert comparison.loc["null_intervention", ["change", "ci_low", "ci_high"]].tolist() == [0.0, 0.0, 0.0]
    table = pd.read_parquet(folder / "metrics.parquet")
    base = table[table.scenario == "baseline"].set_index(["replication", "month", "metric"]).value
    null = table[table.scenario == "null_intervention"].set_index(["replication", "month", "metric"]).value
    shared = base.index.intersection(null.index)
    assert len(shared) == len(base)
    assert (base.loc[shared] == null.loc[shared]).all()


def test_manifest_lists_every_scenario_with_common_seeds(compared) -> None:
    folder, _ = compared
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["command"] == "compare" and manifest["seeds"] == [3, 4, 5, 6]
    assert [s["name"] for s in manifest["scenarios"]] == ["baseline", "individual_training", "null_intervention"]
    assert len({s["hash"] for s in manifest["scenarios"]}) == 3
    assert len(manifest["runs"]) == 12


def test_paired_comparison_refuses_unpaired_runs() -> None:
    table = pd.DataFrame({"scenario": ["a", "b"], "replication": [0, 0], "seed": [1, 2], "month": [1, 1],
                          "metric": ["community_result"] * 2, "value": [0.1, 0.2]})
    with pytest.raises(ValueError, match="common random numbers"):
        paired_comparison(table)


def _table(*scenarios: tuple[str, list[float], float]) -> pd.DataFrame:
    """A long table of final results: (name, result per replication, money spent)."""
    rows = []
    for name, results, spent in scenarios:
        for r, result in enumerate(results):
            for metric, value in (("community_result", result), ("cost_spent", spent), ("people_reached", 10.0)):
                rows.append({"scenario": name, "replication": r, "seed": 1 + r, "month": 60, "metric": metric,
                             "value": value})
    return pd.DataFrame(rows)


def test_ahead_only_when_the_interval_excludes_zero_and_no_price_for_an_unclear_gain() -> None:
    """The issue's case: +0.00064 [-0.00075, +0.00203] was called "dominates"; it is unclear, with no cost per
    point. A clear gain that costs less is ahead with no price; one that costs more gets the extra money per point;
    a gain at no extra cost is never priced 0."""
    table = paired_comparison(_table(
        ("pricey", [0.20, 0.20, 0.20], 600.0), ("cheap", [0.25, 0.251, 0.252], 500.0),
        ("dearer", [0.22, 0.221, 0.222], 900.0), ("noisy", [0.2005, 0.1994, 0.2020], 500.0),
        ("free", [0.21, 0.211, 0.212], 600.0), ("worse", [0.18, 0.181, 0.182], 600.0))).set_index("scenario")
    assert table.verdict.to_dict() == {"pricey": "reference", "cheap": "ahead", "dearer": "ahead",
                                       "noisy": "unclear", "free": "ahead", "worse": "behind"}
    assert table.loc["noisy", "ci_low"] < 0 < table.loc["noisy", "ci_high"]
    for name in ("pricey", "cheap", "noisy", "free", "worse"):
        assert np.isnan(table.loc[name, "cost_per_point"]), name
    assert table.loc["dearer", "cost_per_point"] == pytest.approx(300.0 / (table.loc["dearer", "change"] / 0.01))
    assert table.loc["free", "extra_cost"] == 0.0


def test_the_report_never_prints_a_price_of_zero_and_says_ahead_only_when_clear() -> None:
    from simulation.cli.compare import report

    comparison = paired_comparison(_table(
        ("base", [0.20, 0.20, 0.20], 0.0), ("free", [0.21, 0.211, 0.212], 0.0),
        ("noisy", [0.2005, 0.1994, 0.2020], 100.0)))
    text = report(comparison, {"replications": 3, "seed": 1, "duration_seconds": 1.0})
    free, noisy = text.splitlines()[-2:]
    assert free.split()[5:] == ["ahead", "10", "0", "no", "extra"], free
    assert noisy.split()[5] == "unclear" and noisy.split()[-1] == "-", noisy
    assert "dominates" not in text


def test_compare_refuses_scenarios_of_different_communities_or_horizons(tmp_path: Path) -> None:
    small = tmp_path / "small.yaml"
    small.write_text("name: small\nmonths: 24\npopulation:\n  people: 500\n")
    result = leadsim("compare", BASELINE, small, "-r", "2", cwd=tmp_path)
    assert_refused(result, f"{small}:4: population.people: 500, but the first has 2,000",
                   f"{small}:2: months: 24, but the first has 60", "--set population.people=VALUE")
    assert tree(tmp_path) == {"small.yaml"}
    with pytest.raises(ValueError, match="population.people"):
        from simulation import Scenario, compare_scenarios

        compare_scenarios([Scenario(name="a"), Scenario(name="b", population={"people": 500})], replications=1)


def test_compare_warns_when_a_file_s_own_seed_is_not_used(tmp_path: Path) -> None:
    other = tmp_path / "other.yaml"
    other.write_text(re.sub(r"(?m)^seed: 1$", "seed: 99", TRAINING.read_text()))
    result = leadsim("compare", BASELINE, other, *SMALL, "-r", "2", "--out", "c", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (f"leadsim: warning: {other}: seed 99 is not used: every compared scenario runs with the first file's "
            "seed 1") in result.stderr
