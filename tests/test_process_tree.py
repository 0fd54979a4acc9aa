"""The process-tree rule: whatever leadsim starts, it stops. A SIGKILL of leadsim's main process (which runs no
clean-up) must not strand its pool: the local workers, the fork server and a LocalCluster's worker processes exit
on their own within a few seconds. Linux only (the tree is found by walking /proc); every wait is bounded."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cli_support import BASELINE
from studies_support import ROOT, wait_until, write_study

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").is_file(), reason="walks /proc (Linux)")

GONE_WITHIN = 10.0  # seconds after the SIGKILL by which no process of the tree may remain
# Big enough that the runs are still going when the main process is killed, small enough to start at once.
LONG = {"scenario": {"months": 60, "population": {"people": 3000}}, "replications": 20, "store": {"shard_runs": 50}}


def _stat(pid: int) -> tuple[int, str, int] | None:
    """(parent pid, state, start time) of a process, or None if it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2:].split()  # the command name, in parentheses, may hold spaces
    return int(fields[1]), fields[0], int(fields[19])


def descendants(root: int) -> dict[int, int]:
    """Every process below ``root`` (children, their children...), as pid -> start time."""
    parents: dict[int, tuple[int, int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (stat := _stat(int(entry.name))) is not None:
            parents[int(entry.name)] = (stat[0], stat[2])
    found: dict[int, int] = {}
    frontier = [root]
    while frontier:
        parent = frontier.pop()
        for pid, (ppid, started) in parents.items():
            if ppid == parent and pid not in found:
                found[pid] = started
                frontier.append(pid)
    return found


def alive(processes: dict[int, int]) -> dict[int, str]:
    """Which of ``processes`` (pid -> start time) still run: pid -> command line (zombies count as gone)."""
    left = {}
    for pid, started in processes.items():
        stat = _stat(pid)
        if stat is not None and stat[2] == started and stat[1] != "Z":
            left[pid] = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    return left


def kill_main_and_check_tree(command: list[str], cwd: Path, expected: int) -> None:
    """Start ``command``, wait until its tree has ``expected`` processes at work, SIGKILL the main process only,
    and require the whole tree gone within :data:`GONE_WITHIN` seconds."""
    main = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, start_new_session=True)
    tree: dict[int, int] = {}

    def started() -> bool:  # remembers every process seen, in case one is short-lived
        tree.update(descendants(main.pid))
        return len(tree) >= expected or main.poll() is not None

    try:
        wait_until(started, 90, f"{expected} processes under leadsim", step=0.2)
        assert main.poll() is None, "leadsim ended before it could be killed"
        time.sleep(2.0)  # the workers are running their first tasks
        tree.update(descendants(main.pid))
        main.send_signal(signal.SIGKILL)
        main.wait(timeout=10)
        deadline = time.monotonic() + GONE_WITHIN
        while alive(tree) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not alive(tree), f"still running {GONE_WITHIN:g} s after leadsim was killed: {alive(tree)}"
    finally:
        for pid in alive(tree):  # never leave a stray process behind, whatever failed above
            os.kill(pid, signal.SIGKILL)
        if main.poll() is None:
            main.kill()
            main.wait(timeout=10)


def test_a_killed_sweep_leaves_no_local_worker(tmp_path: Path) -> None:
    """`leadsim sweep --workers 2`: the fork server and its two workers."""
    study = write_study(tmp_path, **LONG)
    kill_main_and_check_tree([sys.executable, "-m", "simulation.cli", "sweep", str(study), "--workers", "2",
                              "--out", str(tmp_path / "out"), "--quiet"], tmp_path, expected=3)


def test_a_killed_run_leaves_no_local_worker(tmp_path: Path) -> None:
    """`leadsim run --workers 2`: the same pool, started by simulation.execution."""
    kill_main_and_check_tree([sys.executable, "-m", "simulation.cli", "run", str(BASELINE), "--set",
                              "population.people=20000", "-r", "20", "--workers", "2", "--quiet"], tmp_path,
                             expected=3)


def test_a_killed_sweep_leaves_no_local_cluster_worker(tmp_path: Path) -> None:
    """`leadsim sweep --scheduler local --workers 2`: the LocalCluster's two worker processes."""
    pytest.importorskip("distributed")
    study = write_study(tmp_path, **LONG)
    kill_main_and_check_tree([sys.executable, "-m", "simulation.cli", "sweep", str(study), "--scheduler", "local",
                              "--workers", "2", "--out", str(tmp_path / "out"), "--quiet"], tmp_path, expected=2)


def test_a_run_whose_worker_dies_is_one_clear_error(tmp_path: Path) -> None:
    """`leadsim run --workers 2` with one worker killed (as the out-of-memory killer would): one `leadsim: error:`
    line with the next step, exit 2, no traceback, nothing written - and no process left behind."""
    main = subprocess.Popen([sys.executable, "-m", "simulation.cli", "run", str(BASELINE), "--set",
                             "population.people=20000", "-r", "20", "--workers", "2", "--quiet"], cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, start_new_session=True)
    tree: dict[int, int] = {}

    def workers() -> list[int]:  # the fork server's children
        tree.update(descendants(main.pid))
        server = [pid for pid in tree if "forkserver" in Path(f"/proc/{pid}/cmdline").read_text(errors="replace")
                  and _stat(pid) is not None and _stat(pid)[0] == main.pid]
        return [pid for pid in tree if _stat(pid) is not None and server and _stat(pid)[0] == server[0]]

    try:
        wait_until(lambda: len(workers()) >= 2 or main.poll() is not None, 90, "two workers", step=0.2)
        time.sleep(2.0)  # inside the replications
        os.kill(workers()[0], signal.SIGKILL)
        _, err = main.communicate(timeout=60)
        assert main.returncode == 2, err
        assert err.startswith("leadsim: error: ") and err.count("\n") == 1 and "Traceback" not in err, err
        assert "worker process died" in err and "--workers" in err, err
        assert not any(p.name != "results" for p in tmp_path.iterdir()), list(tmp_path.rglob("*"))
        assert not (tmp_path / "results").exists() or not any((tmp_path / "results").iterdir())
        deadline = time.monotonic() + GONE_WITHIN
        while alive(tree) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not alive(tree), alive(tree)
    finally:
        for pid in alive(tree):
            os.kill(pid, signal.SIGKILL)
        if main.poll() is None:
            main.kill()
            main.communicate(timeout=10)
