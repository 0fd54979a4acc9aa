"""Dask distributed on 127.0.0.1: the same table as local processes, and a worker killed mid-study loses no run and
duplicates none. Every server listens on 127.0.0.1 only; every wait has a timeout."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from studies_support import ROOT, shard_count, wait_until, write_study

from simulation.studies import DaskCluster, ExecutorError, InProcess, StudyStore, read_table, sweep
from simulation.studies.store import MANIFEST

pytest.importorskip("distributed")

SLOW = {"scenario": {"months": 24, "population": {"people": 700}}, "store": {"shard_runs": 3}}
DASK = Path(sys.executable).with_name("dask")


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pd.DataFrame]:
    folder = tmp_path_factory.mktemp("dask_reference")
    study = write_study(folder, **SLOW)
    assert sweep(study, folder / "local", workers=2).status == "complete"  # local processes
    return study, read_table(study, folder / "local")


def test_local_cluster_gives_the_table_of_local_processes(reference, tmp_path: Path) -> None:
    study, table = reference
    report = sweep(study, tmp_path / "dask", scheduler="local", workers=2)
    assert report.status == "complete" and "tcp://127.0.0.1:" in report.executor, report.failed
    pd.testing.assert_frame_equal(read_table(study, tmp_path / "dask"), table, check_exact=True)


def _saturation(dask_scheduler) -> float:
    return dask_scheduler.WORKER_SATURATION


def test_local_cluster_lets_workers_queue_runs() -> None:
    """The scheduler leadsim starts does not hold runs back until a worker reports (see SCHEDULER_CONFIG)."""
    with DaskCluster(workers=1) as cluster:
        assert cluster.client.run_on_scheduler(_saturation) == float("inf")


def test_unreachable_scheduler_is_a_clear_error(reference, tmp_path: Path) -> None:
    with pytest.raises(ExecutorError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:9"):
        DaskCluster("tcp://127.0.0.1:9", connect_timeout=2)


def start(command: list[str], log: Path) -> subprocess.Popen:
    handle = log.open("w")
    return subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT, cwd=log.parent,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, start_new_session=True)


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)


def workers_connected(address: str) -> int:
    from distributed import Client

    with Client(address, timeout=10, set_as_default=False) as client:
        return len(client.nthreads())


def test_killing_a_worker_mid_study_loses_no_run_and_duplicates_none(reference, tmp_path: Path) -> None:
    """A real scheduler and two workers (the `dask` command, as on a cluster), `leadsim sweep --scheduler`, and a
    SIGKILL of one worker while the study runs: Dask reschedules its runs on the other worker."""
    study, table = reference
    scheduler_file = tmp_path / "scheduler.json"
    processes: list[subprocess.Popen] = []
    try:
        processes.append(start([str(DASK), "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                                "--scheduler-file", str(scheduler_file)], tmp_path / "scheduler.log"))
        wait_until(lambda: scheduler_file.is_file() and scheduler_file.stat().st_size > 0, 60, "the scheduler")
        address = json.loads(scheduler_file.read_text())["address"]
        assert address.startswith("tcp://127.0.0.1:")
        workers = [start([str(DASK), "worker", address, "--host", "127.0.0.1", "--nthreads", "1", "--nworkers", "1",
                          "--no-nanny", "--no-dashboard", "--death-timeout", "60"], tmp_path / f"worker{i}.log")
                   for i in range(2)]
        processes += workers
        wait_until(lambda: workers_connected(address) == 2, 60, "two workers", step=0.5)

        out = tmp_path / "out"
        sweep_proc = start([sys.executable, "-m", "simulation.cli", "sweep", str(study), "--out", str(out),
                            "--scheduler", address, "--no-worker-timeout", "60"], tmp_path / "sweep.log")
        processes.append(sweep_proc)
        wait_until(lambda: shard_count(out) >= 1 or sweep_proc.poll() is not None, 120, "the first shard")
        assert sweep_proc.poll() is None, (tmp_path / "sweep.log").read_text()
        os.killpg(workers[0].pid, signal.SIGKILL)  # mid-study: the other worker must finish the job
        sweep_proc.wait(timeout=240)
        log = (tmp_path / "sweep.log").read_text()
        assert sweep_proc.returncode == 0, log
        assert workers[0].poll() == -signal.SIGKILL
    finally:
        for proc in reversed(processes):
            stop(proc)
    manifest = json.loads((out / MANIFEST).read_text())
    assert manifest["status"] == "complete" and manifest["runs"]["done"] == manifest["runs"]["unique"]
    pd.testing.assert_frame_equal(read_table(study, out), table, check_exact=True)  # no run lost, the same numbers
    # no run duplicated: every run key sits in exactly one shard, with exactly one row set
    keys = pd.concat([pq.read_table(p, columns=["run_key"]).to_pandas() for p in (out / "shards").glob("*.parquet")])
    per_key = keys["run_key"].astype(str).value_counts()
    rows = table.groupby("key").size() // table.groupby("key")["run"].nunique()  # a key may serve several runs
    assert set(per_key.index) == set(rows.index)
    assert (per_key.sort_index() == rows.sort_index()).all()


def test_in_process_and_dask_agree_on_outputs(reference, tmp_path: Path) -> None:
    study, _ = reference
    sweep(study, tmp_path / "here", executor=InProcess())
    local = pd.read_csv(study.parent / "local" / "outputs.csv")
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "here" / "outputs.csv"), local, check_exact=True)


@pytest.mark.parametrize("kind", ["slurm", "pbs"])
def test_jobqueue_example_writes_a_job_script_for_leadsim_workers(kind: str, capsys: pytest.CaptureFixture[str],
                                                                  tmp_path: Path) -> None:
    """experiments/cluster/jobqueue_sweep.py --dry-run: one-thread workers, this Python, nothing submitted."""
    pytest.importorskip("dask_jobqueue")
    import importlib.util

    spec = importlib.util.spec_from_file_location("jobqueue_sweep", ROOT / "experiments" / "cluster" /
                                                  "jobqueue_sweep.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    before = set(Path.cwd().iterdir())
    assert module.main([kind, str(ROOT / "experiments" / "scaling.yaml"), "--dry-run", "--host", "127.0.0.1",
                        "--cores", "4", "--queue", "normal"]) == 0
    script = capsys.readouterr().out
    assert sys.executable in script and "--nthreads 1" in script and "--nworkers 4" in script
    assert ("#SBATCH" if kind == "slurm" else "#PBS") in script and "tcp://127.0.0.1:" in script
    assert set(Path.cwd().iterdir()) == before  # a dry run creates no log folder


def test_a_scheduler_that_goes_away_mid_study_is_one_clear_error(reference, tmp_path: Path) -> None:
    """A real scheduler on 127.0.0.1 killed (SIGKILL, by its pid) while `leadsim sweep --scheduler` runs: one
    `leadsim: error:` line saying how far the sweep got and how to resume, exit 2, no traceback; the finished runs
    stay in the folder and the same command, on a new scheduler, completes the study."""
    study, table = reference
    processes: list[subprocess.Popen] = []
    try:
        address, scheduler = start_cluster(tmp_path, processes, "first")
        out = tmp_path / "out"
        sweep_proc = start([sys.executable, "-m", "simulation.cli", "sweep", str(study), "--out", str(out),
                            "--scheduler", address, "--quiet"], tmp_path / "sweep.log")
        processes.append(sweep_proc)
        wait_until(lambda: shard_count(out) >= 1 or sweep_proc.poll() is not None, 120, "the first shard")
        assert sweep_proc.poll() is None, (tmp_path / "sweep.log").read_text()
        os.kill(scheduler.pid, signal.SIGKILL)
        sweep_proc.wait(timeout=120)
        err = (tmp_path / "sweep.log").read_text()
        assert sweep_proc.returncode == 2, err
        assert "Traceback" not in err and err.count("\n") == 1 and err.startswith("leadsim: error: "), err
        assert re.search(rf"the Dask scheduler at {re.escape(address)} went away after \d+ of 16 runs; finished "
                         rf"runs are saved in {re.escape(str(out))}/ - rerun the same command to resume", err), err
        done = int(re.search(r"after (\d+) of", err).group(1))
        assert 1 <= done == len(StudyStore(out).done_runs()) < table["key"].nunique()  # what the message says is there
        for proc in processes:
            stop(proc)
        address, _ = start_cluster(tmp_path, processes, "second")
        resumed = subprocess.run([sys.executable, "-m", "simulation.cli", "sweep", str(study), "--out", str(out),
                                  "--scheduler", address, "--quiet"], capture_output=True, text=True, timeout=240,
                                 env={**os.environ, "PYTHONPATH": str(ROOT)})
        assert resumed.returncode == 0, resumed.stderr
    finally:
        for proc in reversed(processes):
            stop(proc)
    pd.testing.assert_frame_equal(read_table(study, out), table, check_exact=True)


def start_cluster(folder: Path, processes: list[subprocess.Popen], name: str) -> tuple[str, subprocess.Popen]:
    """A `dask scheduler` on 127.0.0.1 and one worker; their address and the scheduler's process."""
    scheduler_file = folder / f"{name}.json"
    scheduler = start([str(DASK), "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                       "--scheduler-file", str(scheduler_file)], folder / f"{name}-scheduler.log")
    processes.append(scheduler)
    wait_until(lambda: scheduler_file.is_file() and scheduler_file.stat().st_size > 0, 60, "the scheduler")
    address = json.loads(scheduler_file.read_text())["address"]
    processes.append(start([str(DASK), "worker", address, "--host", "127.0.0.1", "--nthreads", "1", "--nworkers", "1",
                            "--no-nanny", "--no-dashboard", "--death-timeout", "30"], folder / f"{name}-worker.log"))
    wait_until(lambda: workers_connected(address) == 1, 60, "the worker", step=0.5)
    return address, scheduler
