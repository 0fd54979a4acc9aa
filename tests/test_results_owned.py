"""Whose folder: `run`, `compare` and `sweep` write over an existing folder only if its manifest proves that
leadsim wrote it as the same kind; anything else is refused up front, naming what was found, and left untouched.
Also: an output place that cannot be written is refused before any run (a read-only mount), and a study folder
whose manifest is damaged is named so, with a way to keep its runs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from cli_support import BASELINE, SMALL, TRAINING, assert_refused, leadsim, tmpfs, tree
from studies_support import write_study

from simulation.results import OutputError
from simulation.studies import InProcess, sweep

RUN = ["-r", "1", "--quiet", *SMALL]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def study_folder(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A complete tiny study (run in this process) and its study file."""
    root = tmp_path_factory.mktemp("owned")
    study = write_study(root)
    assert sweep(study, root / "study", executor=InProcess(), analyse=False).status == "complete"
    return study, root / "study"


def test_a_folder_with_a_foreign_manifest_is_not_replaced(tmp_path: Path) -> None:
    web = tmp_path / "site"
    web.mkdir()
    (web / "manifest.json").write_text('{"name": "my web app", "icons": []}')
    (web / "index.html").write_text("<p>years of work</p>")
    before = snapshot(web)
    for command, files in (("run", [BASELINE]), ("compare", [BASELINE, TRAINING])):
        result = leadsim(command, *files, *RUN, "--out", "site", cwd=tmp_path)
        assert_refused(result, "--out site", "manifest.json", "not written by leadsim", "name, icons")
        assert snapshot(web) == before


def test_run_and_compare_do_not_replace_a_study_folder(study_folder, tmp_path: Path) -> None:
    _, folder = study_folder
    before = snapshot(folder)
    for command, files in (("run", [BASELINE]), ("compare", [BASELINE, TRAINING])):
        result = leadsim(command, *files, *RUN, "--out", folder, cwd=tmp_path)
        assert_refused(result, str(folder), "is a study folder", "leadsim sweep")
        assert snapshot(folder) == before
    assert tree(tmp_path) == set()


def test_each_command_replaces_only_its_own_kind(tmp_path: Path) -> None:
    assert leadsim("run", BASELINE, *RUN, "--out", "r", cwd=tmp_path).returncode == 0
    manifest = json.loads((tmp_path / "r" / "manifest.json").read_text())
    assert (manifest["tool"], manifest["kind"]) == ("leadsim", "run")
    before = snapshot(tmp_path / "r")
    result = leadsim("compare", BASELINE, TRAINING, *RUN, "--out", "r", cwd=tmp_path)
    assert_refused(result, "--out r", "is a run folder", "not a comparison folder")
    assert snapshot(tmp_path / "r") == before
    study = write_study(tmp_path)
    result = leadsim("sweep", study, "--out", "r", cwd=tmp_path)
    assert_refused(result, "--out r", "is a run folder", "not a study folder")
    assert snapshot(tmp_path / "r") == before
    assert leadsim("run", BASELINE, *RUN, "--seed", "5", "--out", "r", "--overwrite", cwd=tmp_path).returncode == 0
    assert json.loads((tmp_path / "r" / "manifest.json").read_text())["seed"] == 5  # its own kind: replaced


def test_a_study_folder_with_a_damaged_manifest(study_folder, tmp_path: Path) -> None:
    study, original = study_folder
    folder = tmp_path / "study"
    shutil.copytree(original, folder)
    (folder / "manifest.json").write_text('{"kind": "leadsim st')  # cut short
    with pytest.raises(OutputError) as refused:
        sweep(study, folder, executor=InProcess())
    message = str(refused.value)
    assert "manifest.json cannot be read" in message and "not a" not in message
    assert "shards/ are kept" in message and "mv " in message
    # doing what the message says keeps every finished run
    (folder / "manifest.json").rename(folder / "manifest.damaged.json")
    report = sweep(study, folder, executor=InProcess(), analyse=False)
    assert report.status == "complete" and report.ran == 0 and report.skipped == report.unique
    assert json.loads((folder / "manifest.json").read_text())["status"] == "complete"


def read_only_mount(where: Path):
    """An empty read-only tmpfs at ``where`` (root only; the test is skipped elsewhere)."""
    return tmpfs(where, "size=1m,ro")


def test_a_read_only_mount_is_refused_before_any_run(tmp_path: Path) -> None:
    with read_only_mount(tmp_path / "ro"):
        # the mount itself: nothing can be renamed onto it; a folder inside it: nothing can be written
        result = leadsim("run", BASELINE, *RUN, "--out", "ro", cwd=tmp_path, timeout=20)
        assert_refused(result, "--out ro", "mount point")
        result = leadsim("run", BASELINE, *RUN, "--out", "ro/results", cwd=tmp_path, timeout=20)
        assert_refused(result, "--out ro/results", "not writable", "Read-only file system")
        study = write_study(tmp_path)
        result = leadsim("sweep", study, "--out", "ro", cwd=tmp_path, timeout=20)
        assert_refused(result, "--out ro", "not writable", "Read-only file system")
        assert not any((tmp_path / "ro").iterdir())
