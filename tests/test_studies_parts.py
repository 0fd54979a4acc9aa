"""``leadsim sweep STUDY --part I/N``: disjoint shares of a study's runs, run anywhere into one study folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from studies_support import ROOT, write_study

from simulation.cli import main
from simulation.results import OutputError
from simulation.studies import InProcess, StudyStore, build_plan, load_study, read_table, sweep

PARTS = 2


def test_shares_are_disjoint_cover_the_plan_and_balance_the_work(tmp_path: Path) -> None:
    plan = build_plan(load_study(write_study(tmp_path, population=None)))
    keys = list(dict.fromkeys(plan.runs["key"]))
    shares = [plan.share(i, PARTS) for i in range(1, PARTS + 1)]
    assert sorted(k for share in shares for k in share) == sorted(keys)  # each key in exactly one share
    assert all(share == [k for k in keys if k in set(share)] for share in shares)  # in plan order
    weights = plan.weights()
    loads = [weights[share].sum() for share in shares]
    assert max(loads) - min(loads) <= weights.max()
    assert shares == [build_plan(load_study(write_study(tmp_path))).share(i, PARTS) for i in range(1, PARTS + 1)]
    with pytest.raises(ValueError, match="1 <= I <= N"):
        plan.share(4, 3)


def test_shares_run_as_separate_processes_give_the_table_of_one_whole_sweep(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    study = write_study(tmp_path)
    whole, shared = tmp_path / "whole", tmp_path / "shared"
    assert sweep(study, whole, executor=InProcess()).status == "complete"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "120"}
    processes = [subprocess.Popen([sys.executable, "-m", "simulation.cli", "sweep", str(study), "--out", str(shared),
                                   "--part", f"{i}/{PARTS}", "--workers", "1"], cwd=tmp_path, env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for i in range(1, PARTS + 1)]  # at the same time, as a job array's tasks
    for i, process in enumerate(processes, 1):
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
        assert f"share {i}/{PARTS}" in out and "leadsim sweep" in out  # and what to run when all are done
    assert not (shared / "outputs.csv").exists()  # a share never analyses
    pd.testing.assert_frame_equal(read_table(study, shared), read_table(study, whole))
    parts = sorted((shared / "parts").iterdir())
    assert [p.name for p in parts] == [f"{i}-of-{PARTS}.json" for i in range(1, PARTS + 1)]

    capsys.readouterr()
    assert main(["sensitivity", str(study), "--out", str(shared)]) == 0  # analyses the shares' runs
    manifest = json.loads((shared / "manifest.json").read_text())
    assert manifest["status"] == "complete" and len(manifest["parts"]) == PARTS
    for name in ("outputs.csv", "sensitivity.csv"):
        assert (shared / name).read_bytes() == (whole / name).read_bytes()
    assert main(["sweep", str(study), "--out", str(shared), "--workers", "1"]) == 0
    assert " 0 run now" in capsys.readouterr().out


@pytest.mark.parametrize("part", ["3/2", "0/2", "1/0", "two/3", "1-3"])
def test_a_bad_share_is_refused_before_anything_is_written(tmp_path: Path, part: str,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    study = write_study(tmp_path)
    assert main(["sweep", str(study), "--out", str(tmp_path / "out"), "--part", part]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"leadsim: error: --part {part}: ") and "1 <= I <= N" in err and err.count("\n") == 1
    assert not (tmp_path / "out").exists()


def test_a_share_waits_for_no_whole_sweep(tmp_path: Path) -> None:
    study = write_study(tmp_path)
    out = tmp_path / "out"
    with StudyStore(out), pytest.raises(OutputError, match="a whole sweep, not a --part share"):
        sweep(study, out, executor=InProcess(), part=(1, 2))
    with StudyStore(out, shared=True), pytest.raises(OutputError, match="a whole sweep or --part shares"):
        sweep(study, out, executor=InProcess())
    assert sweep(study, out, executor=InProcess(), part=(2, 2)).status == "complete"
