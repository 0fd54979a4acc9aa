"""The whole seed range is checked: replication r uses seed + r, and every run's seed must be a seed the streams and
the tables accept (at most 2**63 - 1), in a scenario file, with --seed/--replications and in the library."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from cli_support import BASELINE, SMALL, assert_refused, leadsim, tree

from simulation import Scenario
from simulation.execution import run_scenarios
from simulation.problems import ScenarioFileError
from simulation.scenario_files import load_scenario

TOP = 2**63 - 1


def test_a_file_whose_last_seed_is_too_large(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text(f"name: x\nmonths: 3\nreplications: 2\nseed: {TOP}\npopulation: {{people: 200}}\n")
    with pytest.raises(ScenarioFileError) as refused:
        load_scenario(path)
    (problem,) = refused.value.problems
    assert (problem.field, problem.line) == ("seed", 4)
    assert f"{TOP + 1:,}" in problem.message and f"at most {TOP - 1:,}" in problem.message


@pytest.mark.parametrize(("options", "names"), [
    (["--seed", str(TOP), "-r", "2"], [f"--seed {TOP}", "--replications 2", f"at most {TOP - 1:,}"]),
    (["--set", f"seed={TOP - 4}", "-r", "6"], ["--replications 6", f"seed {TOP - 4} (", "baseline.yaml"]),
    (["--set", f"seed={TOP - 1}"], ["baseline.yaml", "seed (from --set)", "+ 5 - 1"]),
])
def test_options_whose_last_seed_is_too_large(tmp_path: Path, options: list[str], names: list[str]) -> None:
    result = leadsim("run", BASELINE, *SMALL, *options, cwd=tmp_path)
    assert_refused(result, *names)
    assert tree(tmp_path) == set()


def test_the_largest_seeds_are_recorded_exactly(tmp_path: Path) -> None:
    result = leadsim("run", BASELINE, *SMALL, "--seed", str(TOP - 1), "-r", "2", "-q", "--out", "r", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    table = pd.read_parquet(tmp_path / "r" / "metrics.parquet")
    assert table["seed"].dtype == "int64" and sorted(table["seed"].unique()) == [TOP - 1, TOP]
    manifest = json.loads((tmp_path / "r" / "manifest.json").read_text())
    assert manifest["seed"] == TOP - 1 and manifest["seeds"] == [TOP - 1, TOP]


def test_the_library_refuses_seeds_past_the_range() -> None:
    with pytest.raises(ValueError, match="at most"):
        run_scenarios([Scenario(population={"people": 200}, months=2)], replications=2, seed=TOP)
