"""Local processes: the same numbers as this process; SIGKILL part-way then rerun gives the uninterrupted table;
a worker process that dies costs no run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from studies_support import ROOT, shard_count, wait_until, write_study

from simulation.studies import InProcess, ProcessPool, Task, read_table, run_task, sweep
from simulation.studies.store import MANIFEST

# Runs of ~0.1 s, so that a sweep of 36 runs lasts long enough on 2 processes to be killed part-way.
SLOW = {"scenario": {"months": 24, "population": {"people": 700}}, "store": {"shard_runs": 3}}


@pytest.fixture(scope="module")
def slow_reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pd.DataFrame]:
    folder = tmp_path_factory.mktemp("slow")
    study = write_study(folder, **SLOW)
    report = sweep(study, folder / "in_process", executor=InProcess())
    assert report.status == "complete"
    return study, read_table(study, folder / "in_process")


def test_local_processes_give_the_numbers_of_this_process(slow_reference, tmp_path: Path) -> None:
    study, table = slow_reference
    report = sweep(study, tmp_path / "pool", workers=2)
    assert report.executor == "2 local processes" and report.status == "complete"
    pd.testing.assert_frame_equal(read_table(study, tmp_path / "pool"), table, check_exact=True)
    assert (tmp_path / "pool" / "outputs.csv").read_text() == (study.parent / "in_process" / "outputs.csv").read_text()


def test_sigkill_part_way_then_rerun_equals_an_uninterrupted_study(slow_reference, tmp_path: Path) -> None:
    study, table = slow_reference
    out = tmp_path / "killed"
    command = [sys.executable, "-m", "simulation.cli", "sweep", str(study), "--out", str(out), "--workers", "2"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    # its own session, so the kill reaches the sweep, its fork server and its workers - and nothing else
    proc = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    try:
        wait_until(lambda: shard_count(out) >= 2 or proc.poll() is not None, 120, "the first shards")
        assert proc.poll() is None, "the sweep finished before it could be killed"
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
        proc.stdout.close()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    manifest = json.loads((out / MANIFEST).read_text())
    assert manifest["status"] == "running"  # it never got to say anything else
    partial = read_table(study, out, partial=True)
    done = partial["key"].nunique()
    assert 0 < done < table["key"].nunique()
    # the rerun runs only what is missing and ends with the uninterrupted study's table
    rerun = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{done} already done" in rerun.stdout
    pd.testing.assert_frame_equal(read_table(study, out), table, check_exact=True)
    assert json.loads((out / MANIFEST).read_text())["status"] == "complete"


class DiesOnce:
    """Kills its worker process the first time it meets its run (as the kernel's OOM killer would)."""

    def __init__(self, key: str, marker: Path) -> None:
        self.key, self.marker = key, marker

    def __call__(self, task: Task):
        if task.key == self.key and not self.marker.exists():
            self.marker.write_text("died")
            os._exit(137)
        return run_task(task)


def test_a_dead_worker_process_costs_no_run(slow_reference, tmp_path: Path) -> None:
    study, table = slow_reference
    key = table["key"].iloc[len(table) // 2]
    report = sweep(study, tmp_path / "out", executor=ProcessPool(2), runner=DiesOnce(key, tmp_path / "marker"))
    assert (tmp_path / "marker").exists()
    assert report.status == "complete" and not report.failed
    assert not list((tmp_path / "out" / "failures").iterdir())
    pd.testing.assert_frame_equal(read_table(study, tmp_path / "out"), table, check_exact=True)
