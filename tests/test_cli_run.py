"""`leadsim run` end to end: the results folder, its manifest, reproducibility across workers, atomic writing."""

from __future__ import annotations

import hashlib
import json
import re
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
import yaml
from cli_support import BASELINE, SMALL, TRAINING, leadsim, tree

from simulation import Scenario, run
from simulation.scenario_files import load_scenario

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def baseline_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """One small run of the shipped baseline, shared by the tests that only read its folder."""
    cwd = tmp_path_factory.mktemp("run")
    result = leadsim("run", BASELINE, *SMALL, "--replications", "3", "--seed", "11", cwd=cwd)
    assert result.returncode == 0, result.stderr
    return cwd / "results" / "baseline", result


def test_run_prints_a_summary_and_writes_the_folder(baseline_run) -> None:
    folder, result = baseline_run
    out = result.stdout
    assert out.startswith("baseline: 300 people, 12 months, 3 replications (seeds 11-13), 1 worker")
    assert re.search(r"community result\s+0\.\d+\s+0\.\d+\s+\[0\.\d+, 0\.\d+\]", out), out
    assert "results: results/baseline/" in out
    assert "Traceback" not in result.stderr
    assert tree(folder) == {"metrics.parquet", "summary.csv", "manifest.json", "scenario.yaml", "figures",
                            "figures/community_result.png", "figures/levels.png"}
    assert [p.name for p in folder.parent.iterdir()] == ["baseline"]  # no partial folder left beside it


def test_tables(baseline_run) -> None:
    folder, _ = baseline_run
    table = pd.read_parquet(folder / "metrics.parquet")
    assert list(table.columns) == ["scenario", "replication", "seed", "month", "metric", "value"]
    assert sorted(table.replication.unique()) == [0, 1, 2]
    assert sorted(table.seed.unique()) == [11, 12, 13]
    assert sorted(table.month.unique()) == list(range(13))
    n_metrics = table.metric.nunique()
    assert len(table) == 3 * 13 * n_metrics and {"community_result", "bridging_ties"} <= set(table.metric)
    summary = pd.read_csv(folder / "summary.csv")
    assert len(summary) == 3 and list(summary.columns[:5]) == ["scenario", "replication", "seed", "seconds", "month"]
    assert (summary.seconds > 0).all() and (summary.month == 12).all()
    final = table[(table.month == 12) & (table.metric == "community_result")].sort_values("replication")
    assert summary.community_result.tolist() == pytest.approx(final.value.tolist(), rel=1e-12)


def test_figures_are_pngs(baseline_run) -> None:
    folder, _ = baseline_run
    for name in ("community_result.png", "levels.png"):
        data = (folder / "figures" / name).read_bytes()
        assert data.startswith(PNG) and 5_000 < len(data) < 500_000


def test_manifest(baseline_run) -> None:
    folder, _ = baseline_run
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["leadsim_version"] and manifest["command"] == "run"
    assert manifest["argv"] == ["run", str(BASELINE), *SMALL, "--replications", "3", "--seed", "11"]
    git = manifest["git"]
    assert git["commit"] is None or re.fullmatch(r"[0-9a-f]{40}", git["commit"])
    assert git["dirty"] in (True, False, None)
    assert {"numpy", "pandas", "mesa", "pydantic", "pyarrow"} <= {k for k, v in manifest["packages"].items() if v}
    (entry,) = manifest["scenarios"]
    assert entry["given"] == BASELINE.read_text()  # the text exactly as given
    assert entry["overrides"] == {"population.people": 300, "months": 12}
    resolved = entry["resolved"]
    assert resolved["population"]["people"] == 300 and resolved["months"] == 12
    assert resolved["replications"] == 3 and resolved["seed"] == 11
    assert "network" in resolved and "complementarity" in resolved["community"]  # defaults filled in
    assert entry["hash"] == Scenario.model_validate(resolved).content_hash()
    assert manifest["seeds"] == [11, 12, 13] and manifest["replications"] == 3 and manifest["workers"] == 1
    started, finished = (datetime.fromisoformat(manifest[k]) for k in ("started", "finished"))
    assert started <= finished and manifest["duration_seconds"] >= 0
    assert [(r["replication"], r["seed"]) for r in manifest["runs"]] == [(0, 11), (1, 12), (2, 13)]
    assert all(r["seconds"] > 0 for r in manifest["runs"])
    for name, info in manifest["files"].items():  # every other file, with its size and hash
        data = (folder / name).read_bytes()
        assert info == {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    assert set(manifest["files"]) == tree(folder) - {"figures", "manifest.json"}


def test_resolved_scenario_reruns_to_identical_numbers(baseline_run, tmp_path: Path) -> None:
    folder, _ = baseline_run
    again = leadsim("run", folder / "scenario.yaml", "--out", "again", "--quiet", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert again.stdout == ""
    first = pd.read_parquet(folder / "metrics.parquet")
    second = pd.read_parquet(tmp_path / "again" / "metrics.parquet")
    pd.testing.assert_frame_equal(first, second, check_exact=True)


def test_workers_give_the_numbers_of_simulation_run(tmp_path: Path) -> None:
    result = leadsim("run", TRAINING, *SMALL, "-r", "3", "--seed", "5", "--workers", "2", "--quiet", "--out", "two",
                     cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    got = pd.read_parquet(tmp_path / "two" / "metrics.parquet")
    scenario = load_scenario(TRAINING, {"population.people": 300, "months": 12}).scenario
    expected = run(scenario, replications=3, seed=5)
    pd.testing.assert_frame_equal(got, expected, check_dtype=False, check_exact=True)
    assert (got.value.to_numpy() == expected.value.to_numpy()).all()  # bit for bit, not approximately
    spent = got[(got.metric == "cost_spent") & (got.month == 12)].value
    assert (spent > 0).all()  # the intervention acted, so the check covers it
    assert json.loads((tmp_path / "two" / "manifest.json").read_text())["workers"] == 2


def _earlier_run(results: Path) -> Path:
    old = results / "baseline"
    old.mkdir(parents=True)
    (old / "manifest.json").write_text('{"tool": "leadsim", "kind": "run"}')  # an earlier `leadsim run`
    (old / "stale.txt").write_text("from an earlier run")
    return old


def test_overwrite_replaces_the_folder_and_removes_stale_partials(tmp_path: Path) -> None:
    results = tmp_path / "results"
    old = _earlier_run(results)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()  # a pid that no longer runs: its partial folder was left by a killed run
    partial = results / f".baseline.partial-{dead.pid}"
    partial.mkdir()
    (partial / "metrics.parquet").write_bytes(b"half")
    result = leadsim("run", BASELINE, *SMALL, "-r", "1", "--overwrite", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in results.iterdir()) == ["baseline"]
    assert not (old / "stale.txt").exists() and (old / "metrics.parquet").is_file()
    assert "results: results/baseline/  (replaced the earlier results there: --overwrite)" in result.stdout


def test_rerun_keeps_earlier_results_and_says_where_the_new_ones_are(tmp_path: Path) -> None:
    results = tmp_path / "results"
    old = _earlier_run(results)
    (results / "baseline-2").mkdir()
    (results / "baseline-2" / "notes.txt").write_text("mine")  # taken: the next free name is -3
    before = {p.name: p.read_bytes() for p in old.iterdir()}
    first = leadsim("run", BASELINE, *SMALL, "-r", "1", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert {p.name: p.read_bytes() for p in old.iterdir()} == before
    assert (results / "baseline-2" / "notes.txt").read_text() == "mine"
    assert (results / "baseline-3" / "metrics.parquet").is_file()
    assert ("results: results/baseline-3/  (a new folder: results/baseline/ holds earlier results and is kept; "
            "--overwrite replaces them)") in first.stdout
    mine = leadsim("run", BASELINE, *SMALL, "-r", "1", "--out", "results/baseline-3", cwd=tmp_path)
    assert mine.returncode == 0 and "results: results/baseline-3-2/" in mine.stdout  # an explicit --out too
    assert sorted(p.name for p in results.iterdir()) == ["baseline", "baseline-2", "baseline-3", "baseline-3-2"]


@pytest.mark.parametrize(("sig", "workers"), [(signal.SIGTERM, "1"), (signal.SIGINT, "2")])
def test_interrupted_run_leaves_nothing(tmp_path: Path, sig: signal.Signals, workers: str) -> None:
    # Ctrl-C as at a terminal: a shell that starts a job in the background makes it ignore SIGINT, and Python keeps
    # that, so the child gets the default disposition back whatever ran this test.
    process = subprocess.Popen(
        [sys.executable, "-m", "simulation.cli", "run", str(BASELINE), "--set", "population.people=20000",
         "-r", "40", "--workers", workers], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    results = tmp_path / "results"
    deadline = time.monotonic() + 60
    while not list(results.glob(".baseline.partial-*")) and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    assert list(results.glob(".baseline.partial-*")), "the run never started writing"
    time.sleep(1.0)  # inside the replications
    process.send_signal(sig)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert "interrupted; no results were written" in err and "Traceback" not in err
    assert tree(tmp_path) <= {"results"}  # at most the (empty) parent folder it made


def test_parent_folders_made_for_a_refused_run_are_removed(tmp_path: Path) -> None:
    result = leadsim("run", BASELINE, "--set", "months=0", "--out", "a/b/c", cwd=tmp_path)
    assert result.returncode == 2
    assert tree(tmp_path) == set()


def test_results_of_a_small_scenario_load_back(baseline_run) -> None:
    folder, _ = baseline_run
    source = load_scenario(folder / "scenario.yaml")
    assert source.scenario.population.people == 300
    assert yaml.safe_load((folder / "scenario.yaml").read_text())["seed"] == 11


def test_an_interrupt_that_compiled_code_wrapped_is_still_an_interrupt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    """SIGTERM landing while a numba kernel runs a Python callback surfaces as a SystemError caused by the
    KeyboardInterrupt (seen once in CI-like conditions): still exit 130, no traceback, nothing written."""
    import simulation.core.model as model_module
    from simulation.cli import main
    from simulation.cli._shared import interrupted

    def interrupted_inside_a_kernel(model) -> None:
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt as exc:
            raise SystemError("CPUDispatcher(...) returned a result with an exception set") from exc

    monkeypatch.setattr(model_module, "form_initiatives", interrupted_inside_a_kernel)
    monkeypatch.chdir(tmp_path)
    assert main(["run", str(BASELINE), *SMALL, "--replications", "1", "--workers", "1"]) == 130
    err = capsys.readouterr().err
    assert "interrupted" in err and "Traceback" not in err
    results = tmp_path / "results"
    assert not results.exists() or not any(results.iterdir())
    assert not interrupted(SystemError("a real one"))
