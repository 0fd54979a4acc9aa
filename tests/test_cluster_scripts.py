"""The SLURM scripts in experiments/cluster/, run with fake ``srun``, ``dask``, ``python`` and ``leadsim`` commands
and the environment variables SLURM sets, so that what they would start on a cluster can be checked here."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CLUSTER = ROOT / "experiments" / "cluster"
SCRIPTS = sorted(CLUSTER.glob("*.sh"))

FAKE = {
    # srun OPTIONS... COMMAND ARGS: run the command in place (same pid, so the script can stop it)
    "srun": 'while [ "${1#--}" != "$1" ]; do shift; done\nexec "$@"',
    "dask": 'echo "dask $*" >> "$FAKE_LOG"\n'
            'if [ "$1" = scheduler ]; then echo "{}" > "$3"; exec sleep 60; fi\n'
            'echo $$ > "$FAKE_LOG.worker.pid"; exec sleep 60',
    "python": 'echo "python $*" >> "$FAKE_LOG"',
    # the sweep: waits (at most 5 s) until a worker has started, as a real sweep waits for its workers - without
    # it a loaded machine could run the sweep and stop everything before the backgrounded worker logged a line
    "leadsim": 'for _ in $(seq 50); do [ -s "$FAKE_LOG.worker.pid" ] && break; sleep 0.1; done\n'
               'echo "leadsim $*" >> "$FAKE_LOG"; exit "${FAKE_STATUS:-0}"',
}


@pytest.fixture
def fake(tmp_path: Path) -> dict[str, str]:
    """A PATH with the fake commands first, a fake virtualenv, and a log of every command they were given."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name, body in FAKE.items():
        (bin_dir / name).write_text(f"#!/bin/bash\n{body}\n")
        (bin_dir / name).chmod(0o755)
    (tmp_path / "venv" / "bin").mkdir(parents=True)
    (tmp_path / "venv" / "bin" / "activate").write_text("")
    return {"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(tmp_path), "LEADSIM_VENV": str(tmp_path / "venv"),
            "FAKE_LOG": str(tmp_path / "log")}


def run(script: str, env: dict[str, str], tmp_path: Path, *args: str) -> tuple[int, list[str], str]:
    done = subprocess.run(["bash", str(CLUSTER / script), *args], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=60)
    log = Path(env["FAKE_LOG"])
    return done.returncode, log.read_text().splitlines() if log.exists() else [], done.stderr


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_scripts_parse(script: Path) -> None:
    subprocess.run(["bash", "-n", str(script)], check=True, timeout=30)


@pytest.mark.parametrize(("memory", "limit"), [({"SLURM_MEM_PER_CPU": "2048", "SLURM_CPUS_PER_TASK": "1"}, 2 << 30),
                                               ({"SLURM_MEM_PER_NODE": "32768"}, 2 << 30),
                                               ({}, "auto")], ids=["mem-per-cpu", "mem", "neither"])
def test_batch_script_sizes_workers_and_exits_with_the_sweep_status(fake: dict[str, str], tmp_path: Path,
                                                                      memory: dict[str, str], limit: object) -> None:
    env = {**fake, "SLURM_JOB_ID": "77", "SLURM_NTASKS_PER_NODE": "16", "SLURM_TASKS_PER_NODE": "16(x4)",
           "FAKE_STATUS": "1", **memory}
    started = time.monotonic()
    status, log, err = run("slurm_batch.sh", env, tmp_path, "experiments/morris.yaml")
    try:
        assert status == 1, err  # the sweep's own status: some runs failed
        assert time.monotonic() - started < 30  # the scheduler and workers were stopped, not waited for
        assert log[0].startswith("python -c from simulation.kernel_warmup import load_kernels")  # warmed first
        worker = next(line for line in log if line.startswith("dask worker"))
        assert f"--memory-limit {limit} " in worker
        sweep = [line for line in log if line.startswith("leadsim")]
        assert sweep == [f"leadsim sweep experiments/morris.yaml --scheduler-file {tmp_path}/dask-scheduler-77.json "
                         "--out results/studies/morris --no-worker-timeout 600"]
        pid = int(Path(env["FAKE_LOG"] + ".worker.pid").read_text())
        assert not _alive(pid), "the script left its Dask worker running"
    finally:
        _stop(Path(env["FAKE_LOG"] + ".worker.pid"))


@pytest.mark.parametrize(("array", "part"), [({"SLURM_ARRAY_TASK_ID": "3", "SLURM_ARRAY_TASK_MIN": "1",
                                               "SLURM_ARRAY_TASK_COUNT": "4"}, "3/4"),
                                              ({"SLURM_ARRAY_TASK_ID": "0", "SLURM_ARRAY_TASK_MIN": "0",
                                                "SLURM_ARRAY_TASK_MAX": "15"}, "1/16")], ids=["from-1", "from-0"])
def test_array_script_runs_its_share(fake: dict[str, str], tmp_path: Path, array: dict[str, str], part: str) -> None:
    env = {**fake, "SLURM_CPUS_PER_TASK": "8", "FAKE_STATUS": "2", **array}
    status, log, err = run("slurm_array.sh", env, tmp_path, "experiments/sobol.yaml", "/scratch/sobol")
    assert status == 2, err
    assert log == [f"leadsim sweep experiments/sobol.yaml --out /scratch/sobol --part {part} --workers 8"]


def test_array_script_outside_an_array_says_how_to_submit(fake: dict[str, str], tmp_path: Path) -> None:
    status, log, err = run("slurm_array.sh", fake, tmp_path, "experiments/sobol.yaml")
    assert status != 0 and "sbatch --array=1-N" in err and log == []


def _alive(pid: int) -> bool:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:  # bounded: the kill is sent just before the script exits
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        time.sleep(0.05)
    return True


def _stop(pid_file: Path) -> None:
    """Stop the fake worker this test started, by its pid, if the script did not."""
    if pid_file.exists():
        with contextlib.suppress(ProcessLookupError, ValueError):
            os.kill(int(pid_file.read_text()), signal.SIGTERM)
