"""`leadsim compare` end to end: common random numbers, paired differences and their 95% intervals."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from cli_support import BASELINE, NULL, SMALL, TRAINING, leadsim, tree
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
    assert "change vs baseline" in lines[1]
    assert lines[2].split()[0] == "baseline" and "(reference)" in lines[2]
    assert lines[3].split()[0] == "individual_training" and "[" in lines[3]
    assert lines[4].split()[0] == "null_intervention"
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
    if row.change > 0:
        assert row.cost_per_point == pytest.approx((row.cost_spent - 0) / (row.change / 0.01))


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


def test_a_cheaper_better_scenario_dominates_rather_than_costing_a_negative_price() -> None:
    """Against a reference that spends more, a scenario that gains more is marked `dominates`, not given a negative
    cost per point; one that spends more gets the extra money per point."""

    rows = []
    for r in range(3):
        for name, result, spent in (("pricey", 0.20, 600.0), ("cheap", 0.25 + 0.001 * r, 500.0),
                                    ("dearer", 0.22 + 0.001 * r, 900.0)):
            for metric, value in (("community_result", result), ("cost_spent", spent), ("people_reached", 10.0)):
                rows.append({"scenario": name, "replication": r, "seed": 1 + r, "month": 60, "metric": metric,
                             "value": value})
    table = paired_comparison(pd.DataFrame(rows)).set_index("scenario")
    assert table.loc["cheap", "dominates"] and np.isnan(table.loc["cheap", "cost_per_point"])
    assert not table.loc["dearer", "dominates"]
    assert table.loc["dearer", "cost_per_point"] == pytest.approx(300.0 / (table.loc["dearer", "change"] / 0.01))
    assert not table.loc["pricey", "dominates"]
