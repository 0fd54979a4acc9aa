"""Bad input, end to end: each case gets exit status 2, one message naming the file and the field (with its line),
no traceback, and nothing written - neither a results folder nor a partial one."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from cli_support import BASELINE, SMALL, assert_refused, leadsim, tree

# The bad-input cases of issue 4, one subprocess each: (case id, file content, strings the message must contain).
# A line number is part of the file name, "x.yaml:N". More variants run in-process in test_cli_messages.py.
CASES = [
    ("malformed_yaml", b"name: x\nmonths: 12\npopulation: {people: 300\nseed: 1\n", ["x.yaml:", "not valid YAML"]),
    ("python_object_tag", b'name: !!python/object/apply:os.system ["touch pwned"]\n',
     ["x.yaml:1", "name", "!!python/object/apply:os.system", "not allowed"]),
    ("empty_file", b"", ["x.yaml", "empty"]),
    ("binary_file", bytes(range(256)) * 4, ["x.yaml", "binary"]),
    ("unknown_key", b"name: x\npopulation:\n  peple: 500\n", ["x.yaml:3", "population.peple", "'people'"]),
    ("wrong_type", b"name: x\nmonths: many\n", ["x.yaml:2", "months", "'many'", "an integer from 1 to 1,200"]),
    ("out_of_range", b"population:\n  people: 5\n", ["x.yaml:2", "population.people", "from 20 to 20,000,000"]),
    ("nan", b"population:\n  resident_share: .nan\n", ["x.yaml:2", "population.resident_share", "finite"]),
    ("inf", b"name: x\nbudget: .inf\n", ["x.yaml:2", "budget", "finite"]),
    ("unknown_intervention", b"interventions:\n  - type: individual_trainng\n",
     ["x.yaml:2", "interventions.0.type", "'individual_training'", "leadsim interventions"]),
]


def _write(tmp_path: Path, content: bytes) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    path = folder / "x.yaml"
    path.write_bytes(content)
    return path


@pytest.mark.parametrize(("content", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_scenario_file_is_refused_and_nothing_written(tmp_path: Path, content: bytes,
                                                          expected: list[str]) -> None:
    _write(tmp_path, content)
    before = tree(tmp_path)
    result = leadsim("run", "in/x.yaml", cwd=tmp_path)  # no --set: it could mask the bad value
    assert_refused(result, "in/x.yaml", *expected)
    assert tree(tmp_path) == before
    assert not (tmp_path / "pwned").exists()


def test_missing_file(tmp_path: Path) -> None:
    result = leadsim("run", "in/nope.yaml", cwd=tmp_path)
    assert_refused(result, "in/nope.yaml", "no such file")
    assert tree(tmp_path) == set()


def test_output_folder_under_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a_file").write_text("not a folder")
    result = leadsim("run", BASELINE, *SMALL, "--out", "a_file/results", cwd=tmp_path)
    assert_refused(result, "--out", "a_file/results", "is a file")
    assert tree(tmp_path) == {"a_file"}


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into a read-only folder")
def test_read_only_output_folder_is_refused(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        result = leadsim("run", BASELINE, *SMALL, "--out", "locked/results", cwd=tmp_path)
        assert_refused(result, "--out", "locked", "not writable")
        assert tree(tmp_path) == {"locked"}
    finally:
        locked.chmod(stat.S_IRWXU)


def test_unwritable_output_folder_even_for_root(tmp_path: Path) -> None:
    """/proc refuses new folders to everyone, root included."""
    result = leadsim("run", BASELINE, *SMALL, "--out", "/proc/leadsim-results", cwd=tmp_path)
    assert_refused(result, "--out", "/proc/leadsim-results")
    assert tree(tmp_path) == set()


def test_existing_folder_that_is_not_a_results_folder_is_not_replaced(tmp_path: Path) -> None:
    precious = tmp_path / "mine"
    precious.mkdir()
    (precious / "thesis.tex").write_text("years of work")
    result = leadsim("run", BASELINE, *SMALL, "--out", "mine", cwd=tmp_path)
    assert_refused(result, "--out", "mine", "not a leadsim results folder")
    assert tree(tmp_path) == {"mine", "mine/thesis.tex"}


def test_population_too_large_for_memory_is_refused_with_the_estimate(tmp_path: Path) -> None:
    # LEADSIM_MEMORY_LIMIT stands for a batch job's allotment: 1 GB, far below 20 million people's needs
    result = leadsim("run", BASELINE, "--set", "population.people=20000000", cwd=tmp_path,
                     env={"LEADSIM_MEMORY_LIMIT": "1G"})
    assert_refused(result, "baseline.yaml", "population.people (from --set)", "20,000,000 people need about",
                   "GB", "LEADSIM_MEMORY_LIMIT", "--allow-large")
    assert tree(tmp_path) == set()


def test_allow_large_overrides_the_memory_check(tmp_path: Path) -> None:
    env = {"LEADSIM_MEMORY_LIMIT": "50M"}  # less than any run needs: refused, then run on request
    refused = leadsim("run", BASELINE, *SMALL, "-r", "1", cwd=tmp_path, env=env)
    assert_refused(refused, "population.people")
    assert tree(tmp_path) == set()
    allowed = leadsim("run", BASELINE, *SMALL, "-r", "1", "--allow-large", cwd=tmp_path, env=env)
    assert allowed.returncode == 0, allowed.stderr
    assert (tmp_path / "results" / "baseline" / "manifest.json").is_file()


def test_bad_set_option(tmp_path: Path) -> None:
    result = leadsim("run", BASELINE, "--set", "population.people", cwd=tmp_path)
    assert_refused(result, "--set", "PATH=VALUE")
    result = leadsim("run", BASELINE, "--set", "population.people=lots", cwd=tmp_path)
    assert_refused(result, "baseline.yaml", "population.people (from --set)", "'lots'")
    assert tree(tmp_path) == set()


def test_validate_reports_every_bad_file_and_passes_good_ones(tmp_path: Path) -> None:
    """More hostile or mistaken files, in one process: each is named with its field and line."""
    files = {
        "dup.yaml": b"months: 12\nmonths: 24\n",
        "bomb.yaml": b"a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                     b"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
                     b"e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n",
        "list.yaml": b"- 1\n- 2\n",
        "null_type.yaml": b"interventions:\n  - type: null\n",
        "shares.yaml": b"budget: 100\ninterventions:\n  - {type: individual_training, budget_share: 0.7}\n"
                       b"  - {type: individual_training, label: b, budget_share: 0.7}\n",
        "local_tag.yaml": b"months: !secret 12\n",
        "deep.yaml": b"a: " + b"[" * 3000 + b"]" * 3000 + b"\n",
        "key.yaml": b"name: x\n? [a, b]\n: 1\n",
    }
    for name, content in files.items():
        (tmp_path / name).write_bytes(content)
    result = leadsim("validate", BASELINE, *files, cwd=tmp_path)
    assert_refused(result)
    assert "ok  " in result.stdout and "baseline.yaml" in result.stdout
    for expected in ["dup.yaml:2", "'months' appears twice", "bomb.yaml", "more than 100,000 values",
                     "list.yaml:1", "a mapping of fields", "null_type.yaml:2: interventions.0.type", 'type: "null"',
                     "shares.yaml:1: scenario", "add up to 1.400", "local_tag.yaml:1: months", "!secret",
                     "deep.yaml", "nested too deeply", "key.yaml:2", "keys are field names"]:
        assert expected in result.stderr, (expected, result.stderr)
    assert tree(tmp_path) == set(files)
