"""A full disk: `run` and `sweep` end in one `leadsim: error:` line that says so and what to do (exit 2), nothing
half-written is left, and a study's manifest counts only the runs that are on disk; freeing space and running the
same command again finishes the study as if nothing had happened.

Filled for real on a small tmpfs (root only; skipped elsewhere), and once by making the Parquet writer raise
ENOSPC at a chosen shard, to pin the manifest's count exactly."""

from __future__ import annotations

import contextlib
import errno
import importlib
import json
import os
from pathlib import Path

import pandas as pd
import pytest
from cli_support import BASELINE, SMALL, assert_refused, leadsim, tmpfs, tree
from studies_support import write_study

from simulation.results import OutputError
from simulation.studies import InProcess, StudyStore, Task, read_table, run_task, sweep


def small_disk(where: Path, size: str):
    """A tmpfs of ``size`` mounted at ``where``, unmounted afterwards."""
    return tmpfs(where, f"size={size}")


def fill(disk: Path) -> None:
    """Take every free byte of ``disk``."""
    with open(disk / "filler", "wb") as filler, contextlib.suppress(OSError):
        while True:
            filler.write(b"\0" * 65536)
            filler.flush()


def on_disk(folder: Path) -> int:
    return len(StudyStore(folder).done_runs())


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pd.DataFrame]:
    root = tmp_path_factory.mktemp("full")
    study = write_study(root)
    sweep(study, root / "out", executor=InProcess(), analyse=False)
    return study, read_table(study, root / "out")


def test_run_on_a_full_disk(tmp_path: Path) -> None:
    with small_disk(tmp_path / "disk", "64k") as disk:
        result = leadsim("run", BASELINE, *SMALL, "-r", "1", "--quiet", "--out", "disk/results", cwd=tmp_path)
        assert_refused(result, "--out disk/results", "the disk is full", "free some space", "run the same command")
        assert len(result.stderr.splitlines()) == 1, result.stderr
        assert tree(disk) == set()  # no partial folder


def test_sweep_on_a_full_disk_then_resume(reference, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from simulation.cli import main
    sweep_module = importlib.import_module("simulation.studies.sweep")

    study, table = reference
    with small_disk(tmp_path / "disk", "2m") as disk:
        out = disk / "study"
        calls = []

        def filling(task: Task):  # the disk fills up while the sweep runs (after two shards of 4 runs)
            calls.append(task.key)
            if len(calls) == 9:
                fill(disk)
            return run_task(task)

        monkeypatch.setattr(sweep_module, "run_task", filling)
        status = main(["sweep", str(study), "--out", str(out), "--workers", "1", "--no-analysis"])
        err = capsys.readouterr().err
        assert status == 2, err
        assert err.startswith("leadsim: error:") and len(err.splitlines()) == 1, err
        assert "the disk is full" in err and "run the same command to continue" in err, err
        assert not list(out.rglob(".tmp-*"))  # nothing half-written
        manifest = json.loads((out / "manifest.json").read_text())
        assert manifest["runs"]["done"] <= on_disk(out) == 8  # never more than is on disk
        (disk / "filler").unlink()
        monkeypatch.setattr(sweep_module, "run_task", run_task)
        status = main(["sweep", str(study), "--out", str(out), "--workers", "1", "--no-analysis"])
        assert status == 0, capsys.readouterr().err
        pd.testing.assert_frame_equal(read_table(study, out), table, check_exact=True)


def test_manifest_counts_only_the_runs_on_disk(reference, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The third shard's write fails (ENOSPC raised by the Parquet writer): 2 shards of 4 runs are on disk,
    while 12 runs had finished; the manifest says 8."""
    store_module = importlib.import_module("simulation.studies.store")
    study, _ = reference
    real = store_module.pq.write_table
    writes = []

    def write_table(*args, **kwargs):
        writes.append(1)
        if len(writes) == 3:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(*args, **kwargs)

    monkeypatch.setattr(store_module.pq, "write_table", write_table)
    out = tmp_path / "out"
    with pytest.raises(OutputError, match="the disk is full"):
        sweep(study, out, executor=InProcess())
    manifest = json.loads((out / "manifest.json").read_text())
    assert on_disk(out) == 8
    assert manifest["runs"]["done"] == 8 and manifest["status"] != "complete"
