"""Failure records of a study: in FOLDER/failures/ whatever --out is (relative by default), every attempt kept,
cleared once the run succeeds, and the command's count read as what it is."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest
from studies_support import write_study

from simulation.studies import Task, build_plan, load_study, run_task


class Flaky:
    """Fails every attempt of the runs in ``keys`` while ``failing`` is true; the rest run the model."""

    def __init__(self, keys: set[str]) -> None:
        self.keys, self.failing, self.calls = keys, True, {}

    def __call__(self, task: Task):
        self.calls[task.key] = self.calls.get(task.key, 0) + 1
        if self.failing and task.key in self.keys:
            raise RuntimeError(f"flaky failure {self.calls[task.key]} of {task.key}")
        return run_task(task)


def test_failure_records_with_a_relative_out(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from simulation.cli import main
    sweep_module = importlib.import_module("simulation.studies.sweep")

    monkeypatch.chdir(tmp_path)
    study = write_study(tmp_path)
    keys = list(dict.fromkeys(build_plan(load_study(study)).runs["key"]))[:12]
    flaky = Flaky(set(keys))
    monkeypatch.setattr(sweep_module, "run_task", flaky)
    status = main(["sweep", "study.yaml", "--out", "out", "--workers", "1", "--retries", "1", "--no-analysis"])
    err = capsys.readouterr().err
    assert status == 1, err
    assert not (tmp_path / "out" / "out").exists()  # not FOLDER/FOLDER/failures
    records = sorted((tmp_path / "out" / "failures").glob("*.json"))
    assert [p.stem for p in records] == sorted(keys)
    record = json.loads(records[0].read_text())
    assert [a["attempt"] for a in record["attempts"]] == [1, 2]  # every attempt, not only the last
    # 12 failed, 10 shown: the count is the total, not the total beside "10 more"
    assert "12 run(s) failed after retries" in err and "more)" not in err, err
    assert "the first 10 are shown above" in err and "out/failures/" in err, err
    # the next sweep keeps the earlier attempts while the runs still fail ...
    status = main(["sweep", "study.yaml", "--out", "out", "--workers", "1", "--retries", "0", "--no-analysis"])
    assert status == 1
    record = json.loads((tmp_path / "out" / "failures" / f"{keys[0]}.json").read_text())
    assert [a["attempt"] for a in record["attempts"]] == [1, 2, 1]
    # ... and clears the records once they succeed
    flaky.failing = False
    capsys.readouterr()
    status = main(["sweep", "study.yaml", "--out", "out", "--workers", "1", "--no-analysis"])
    assert status == 0, capsys.readouterr().err
    assert not list((tmp_path / "out" / "failures").iterdir())
