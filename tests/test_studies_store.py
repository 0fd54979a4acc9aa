"""The study folder: resume skips exactly what is done, failures are recorded and retried (never dropped),
outputs are computed correctly from the stored runs, and concurrent or foreign use is refused."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from studies_support import write_study

from simulation import Scenario, run_one
from simulation.results import OutputError
from simulation.studies import InProcess, StudyStore, Task, build_plan, load_study, read_table, run_task, sweep
from simulation.studies.store import MANIFEST, StudyDataError


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, pd.DataFrame]:
    """The tiny study run once, uninterrupted, in this process."""
    folder = tmp_path_factory.mktemp("reference")
    study = write_study(folder)
    report = sweep(study, folder / "out", executor=InProcess())
    assert report.status == "complete" and not report.failed
    return study, folder / "out", read_table(study, folder / "out")


class Flaky:
    """A runner that fails the first ``times`` attempts of some runs (the rest run the model)."""

    def __init__(self, keys: set[str], times: int) -> None:
        self.keys, self.times, self.calls = keys, times, {}

    def __call__(self, task: Task):
        self.calls[task.key] = self.calls.get(task.key, 0) + 1
        if task.key in self.keys and self.calls[task.key] <= self.times:
            raise RuntimeError(f"flaky failure {self.calls[task.key]} of {task.key}")
        return run_task(task)


def test_stored_runs_are_the_runners_runs(reference) -> None:
    study, out, table = reference
    plan = build_plan(load_study(study))
    row = plan.runs.iloc[5]
    scenario: Scenario = plan.scenario(int(row["point"]), row["lever"])
    direct = run_one(scenario, int(row["seed"])).sort_values(["month", "metric"], kind="stable")
    stored = table[table["run"] == row["run"]]  # read_table orders rows by run, month, metric
    np.testing.assert_array_equal(stored["value"].to_numpy(), direct["value"].to_numpy())
    assert list(stored["metric"]) == list(direct["metric"])
    # one row set per planned run
    sizes = table.groupby(["lever", "run"]).size().groupby("lever").unique()
    assert all(len(s) == 1 for s in sizes) and table["run"].nunique() == len(plan.runs)


def test_rerun_skips_everything_done(reference, tmp_path: Path) -> None:
    study, out, table = reference
    report = sweep(study, out, executor=InProcess(), runner=_must_not_run)
    assert report.ran == 0 and report.skipped == report.unique and report.status == "complete"
    assert read_table(study, out).equals(table)
    sessions = json.loads((out / MANIFEST).read_text())["sessions"]
    assert len(sessions) == 2 and sessions[-1]["to_run"] == 0


def _must_not_run(task: Task):
    raise AssertionError("a finished run was run again")


def test_failures_are_retried_within_a_sweep(reference, tmp_path: Path) -> None:
    study, _, table = reference
    keys = set(build_plan(load_study(study)).runs["key"][:3])
    flaky = Flaky(keys, times=2)
    report = sweep(study, tmp_path / "out", executor=InProcess(), runner=flaky, retries=2)
    assert report.status == "complete" and not report.failed
    assert all(flaky.calls[k] == 3 for k in keys)
    assert not list((tmp_path / "out" / "failures").iterdir())  # cleared once the run succeeded
    assert read_table(study, tmp_path / "out").equals(table)


def test_failures_are_recorded_never_dropped_and_retried_next_sweep(reference, tmp_path: Path) -> None:
    study, _, table = reference
    plan = build_plan(load_study(study))
    keys = set(plan.runs["key"][:2])
    out = tmp_path / "out"
    report = sweep(study, out, executor=InProcess(), runner=Flaky(keys, times=99), retries=1)
    assert report.status == "incomplete" and set(report.failed) == keys
    assert "flaky failure 2" in report.failed[next(iter(keys))]
    manifest = json.loads((out / MANIFEST).read_text())
    assert manifest["status"] == "incomplete" and {f["key"] for f in manifest["failed"]} == keys
    for key in keys:
        record = json.loads((out / "failures" / f"{key}.json").read_text())
        assert [a["attempt"] for a in record["attempts"]] == [1, 2]
        assert "Traceback" in record["attempts"][0]["error"] and "RuntimeError" in record["attempts"][0]["error"]
        assert {"point", "lever", "replication", "seed"} <= set(record)
    assert not (out / "outputs.csv").exists()  # no analysis on an incomplete study
    # the next sweep runs only the failed ones, and then the study is whole
    again = sweep(study, out, executor=InProcess())
    assert again.ran == len(keys) and again.status == "complete"
    assert not list((out / "failures").iterdir())
    assert read_table(study, out).equals(table)


def test_outputs_are_computed_from_the_runs(reference) -> None:
    study, out, table = reference
    outputs = pd.read_csv(out / "outputs.csv")
    wide = table.pivot_table(index=["run", "month"], columns="metric", values="value").reset_index()
    final = wide[wide["month"] == 12].set_index("run")
    plan = build_plan(load_study(study))
    runs = plan.runs.set_index("run")
    merged = outputs.set_index("run")
    np.testing.assert_allclose(merged["result"], final["community_result"].loc[merged.index])
    mean_engaged = wide[wide["month"] >= 1].groupby("run")["engaged_share"].mean()
    np.testing.assert_allclose(merged["engaged"], mean_engaged.loc[merged.index])
    # gain = training - none at the same point and replication (paired, same seed)
    for run in merged.index[merged["lever"] == "training"][:5]:
        r = runs.loc[run]
        twin = runs[(runs["point"] == r["point"]) & (runs["replication"] == r["replication"])
                    & (runs["lever"] == "none")].index[0]
        assert merged.loc[run, "gain"] == pytest.approx(final.loc[run, "community_result"]
                                                        - final.loc[twin, "community_result"])
        assert runs.loc[run, "seed"] == runs.loc[twin, "seed"]
    assert (merged.loc[merged["lever"] == "none", "gain"] == 0).all()
    means = pd.read_csv(out / "outputs_mean.csv")
    row = means[means["lever"] == "training"].iloc[0]
    expected = row["cost"] / (row["gain"] / 0.01) if row["gain"] > 0 else np.nan
    assert row["cost_per_point"] == pytest.approx(expected, nan_ok=True)
    assert row["gain_n"] == 2


def test_final_month_only_when_asked(reference, tmp_path: Path) -> None:
    """Workers of a final-month study measure only the final month: its rows equal a full recording's, exactly."""
    study = write_study(tmp_path, store={"keep_months": "final", "shard_runs": 100},
                        outputs=[{"name": "result", "metric": "community_result"}])
    sweep(study, tmp_path / "out", executor=InProcess())
    table = read_table(study, tmp_path / "out")
    assert set(table["month"]) == {12}
    full = reference[2]
    columns = ["key", "metric", "value"]
    expected = full[full["month"] == 12][columns].sort_values(columns[:2]).reset_index(drop=True)
    got = table[columns].sort_values(columns[:2]).reset_index(drop=True)
    pd.testing.assert_frame_equal(got, expected, check_exact=True, check_dtype=False, check_categorical=False)


def test_mean_output_needs_every_month(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from simulation.cli import main

    study = write_study(tmp_path, store={"keep_months": "final"})
    assert main(["sweep", str(study), "--out", str(tmp_path / "out")]) == 2
    assert "outputs.2.at" in capsys.readouterr().err


def test_one_sweep_per_folder(reference, tmp_path: Path) -> None:
    study, out, _ = reference
    with StudyStore(out), pytest.raises(OutputError, match="another sweep is writing"):
        sweep(study, out, executor=InProcess())
    # a sweep killed right after creating its folder (no manifest yet) leaves a folder the next one accepts
    with StudyStore(tmp_path / "early"):
        pass
    assert sweep(study, tmp_path / "early", executor=InProcess(), analyse=False).status == "complete"


def test_leftovers_of_a_killed_sweep_are_cleaned_and_bad_shards_rerun(reference, tmp_path: Path) -> None:
    study, out, table = reference
    copy = tmp_path / "copy"
    import shutil

    shutil.copytree(out, copy)
    shards = sorted((copy / "shards").glob("part-*.parquet"))
    shards[0].write_bytes(b"not parquet")  # a damaged disk: its runs are run again, with a warning
    (copy / "shards" / ".tmp-999999-abc-part-x.parquet").write_bytes(b"half")  # a killed writer's temp file
    report = sweep(study, copy, executor=InProcess())
    assert report.ran > 0 and any("cannot be read" in w for w in report.warnings)
    assert not list((copy / "shards").glob(".tmp-*"))
    assert (copy / "damaged" / shards[0].name).read_bytes() == b"not parquet"  # moved aside, not deleted
    assert read_table(study, copy).equals(table)


def test_a_folder_holding_another_study_is_refused(reference, tmp_path: Path) -> None:
    study, out, _ = reference
    other = write_study(tmp_path, "other.yaml", name="other")
    with pytest.raises(OutputError, match="holds study 'tiny'"):
        sweep(other, out, executor=InProcess())


def test_failed_runs_make_the_command_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from simulation.cli import main
    sweep_module = importlib.import_module("simulation.studies.sweep")  # the package exports the function

    study = write_study(tmp_path)
    failing = set(build_plan(load_study(study)).runs["key"][:1])
    monkeypatch.setattr(sweep_module, "run_task", Flaky(failing, times=99))
    out = tmp_path / "out"
    status = main(["sweep", str(study), "--out", str(out), "--workers", "1", "--retries", "0"])
    err = capsys.readouterr().err
    assert status == 1, err
    assert "1 run(s) failed after retries" in err and "flaky failure 1" in err and "failures/" in err
    assert (out / "failures" / f"{next(iter(failing))}.json").is_file()


def test_runs_stored_with_other_months_are_run_again_not_reused(reference, tmp_path: Path) -> None:
    """keep_months final -> all: every final-month run is run again (a mean over one month is not a mean over
    the horizon); switching back reuses the final-month copies, which were kept."""
    study, out, table = reference
    final = write_study(tmp_path, "final.yaml", store={"keep_months": "final", "shard_runs": 4},
                        outputs=[{"name": "result", "metric": "community_result"}])
    folder = tmp_path / "out"
    first = sweep(final, folder, executor=InProcess())
    assert first.status == "complete" and first.ran == first.unique
    everything = write_study(tmp_path, "all.yaml")  # the reference study: every month, a mean output
    again = sweep(everything, folder, executor=InProcess())
    assert again.skipped == 0 and again.ran == again.unique
    assert any("kept final months, and the study keeps all" in w for w in again.warnings), again.warnings
    assert read_table(everything, folder).equals(table)
    assert (folder / "outputs.csv").read_text() == (out / "outputs.csv").read_text()
    back = sweep(final, folder, executor=InProcess(), runner=_must_not_run)
    assert back.ran == 0 and back.skipped == back.unique
    assert set(read_table(final, folder)["month"]) == {12}


def test_runs_that_did_not_record_a_metric_the_study_reads_are_run_again(reference, tmp_path: Path) -> None:
    study, _, table = reference
    folder = tmp_path / "out"

    def result_only(task: Task):
        outcome = run_task(task)
        keep = outcome.metric == "community_result"
        outcome.month, outcome.metric, outcome.value = outcome.month[keep], outcome.metric[keep], outcome.value[keep]
        return outcome

    sweep(study, folder, executor=InProcess(), runner=result_only, analyse=False)
    again = sweep(study, folder, executor=InProcess())
    assert again.ran == again.unique and any("did not record" in w and "engaged_share" in w for w in again.warnings)
    assert read_table(study, folder).equals(table)


def _damage_data(shard: Path) -> None:
    """Overwrite bytes in the middle of a Parquet file's column data, leaving its footer intact."""
    data = bytearray(shard.read_bytes())
    footer = int.from_bytes(data[-8:-4], "little")
    end = len(data) - 8 - footer  # column chunks lie between the 4-byte magic and the footer
    middle = (4 + end) // 2
    data[middle:middle + 16] = bytes(b ^ 0xFF for b in data[middle:middle + 16])
    shard.write_bytes(bytes(data))


def _rewrite_values(shard: Path) -> None:
    """The same shard - footer metadata, runs, rows - with one value changed: damage that decodes cleanly."""
    import pyarrow.parquet as pq

    table = pq.read_table(shard)
    values = table.column("value").to_numpy().copy()
    values[len(values) // 2] += 1e-9
    table = table.set_column(table.schema.get_field_index("value"), "value", pa.array(values))
    pq.write_table(table, shard, compression="zstd")


@pytest.mark.parametrize("damage", [_damage_data, _rewrite_values], ids=["bytes", "values"])
def test_a_damaged_shard_is_moved_aside_and_its_runs_run_again(reference, tmp_path: Path, damage) -> None:
    """Damaged data behind an intact footer: read_table refuses, the sweep quarantines the shard and reruns its
    runs, and the study ends bit-identical to the uninterrupted one."""
    import shutil

    study, out, table = reference
    copy = tmp_path / "copy"
    shutil.copytree(out, copy)
    shard = sorted((copy / "shards").glob("part-*.parquet"))[1]
    runs_in_shard = len(json.loads(pq.read_schema(shard).metadata[b"leadsim.runs"]))
    damage(shard)
    with pytest.raises(StudyDataError, match=f"{shard.name}.*leadsim sweep"):
        read_table(study, copy)
    report = sweep(study, copy, executor=InProcess())
    assert report.ran == runs_in_shard and report.status == "complete"
    assert any(shard.name in w and "damaged" in w and "run again" in w for w in report.warnings), report.warnings
    assert not shard.exists() and (copy / "damaged" / shard.name).is_file()
    pd.testing.assert_frame_equal(read_table(study, copy), table, check_exact=True)
    for name in ("outputs.csv", "outputs_mean.csv", "sensitivity.csv"):
        assert (copy / name).read_text() == (out / name).read_text(), name


def test_read_table_never_drops_runs_silently(reference, tmp_path: Path) -> None:
    import shutil

    study, out, table = reference
    copy = tmp_path / "copy"
    shutil.copytree(out, copy)
    shard = sorted((copy / "shards").glob("part-*.parquet"))[0]
    shard.unlink()
    with pytest.raises(StudyDataError, match=r"of \d+ runs .* not stored"):
        read_table(study, copy)
    partial = read_table(study, copy, partial=True)
    assert 0 < partial["key"].nunique() < table["key"].nunique()
