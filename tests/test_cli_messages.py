"""More bad-input variants, through ``simulation.cli.main`` in this process (fast): the same promise - exit status
2, a message naming the file, the field with its line and what is allowed, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from cli_support import BASELINE, NULL, tree
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulation.cli import main
from simulation.scenario_files import ScenarioFileError, load_scenario

VARIANTS = [
    ("only_comments", b"# nothing here\n", ["x.yaml", "empty"]),
    ("not_utf8", "name: caf\u00e9\n".encode("latin-1"), ["x.yaml", "not UTF-8"]),
    ("malformed_has_line", b"name: x\nmonths: 12\npopulation: {people: 300\nseed: 1\n",
     ["x.yaml:4", "flow mapping that starts on line 3"]),
    ("bad_indentation", b"name: x\n population: 3\nmonths: 2\n", ["x.yaml:", "not valid YAML"]),
    ("two_documents", b"name: a\n---\nname: b\n", ["x.yaml:2", "single document"]),
    ("unknown_top_level_key", b"monts: 12\n", ["x.yaml:1", "monts", "'months'"]),
    ("bool_for_int", b"months: yes\n", ["x.yaml:1", "months", "True", "an integer"]),
    ("quoted_number", b"population:\n  people: \"2000\"\n", ["x.yaml:2", "population.people", "'2000'"]),
    ("float_for_int", b"months: 12.5\n", ["x.yaml:1", "months", "12.5"]),
    ("section_not_mapping", b"population: 500\n", ["x.yaml:1", "population", "a mapping of people"]),
    ("list_of_strings_wrong", b"population:\n  sectors: [a, a]\n", ["x.yaml:2", "population.sectors", "unique"]),
    ("pattern", b"turnover:\n  shock_target: everyone\n", ["x.yaml:2", "turnover.shock_target",
                                                              "one of executives, most_connected, trained"]),
    ("consistency", b"population:\n  org_size_min: 50\n  org_size_max: 10\n", ["x.yaml:1", "scenario",
                                                                              "org_size_max"]),
    ("unknown_intervention_param", b"budget: 1000\ninterventions:\n  - type: individual_training\n    params:\n"
                                   b"      efect_size: 0.5\n",
     ["x.yaml:5", "interventions.0.params.efect_size", "'effect_size'", "Allowed in interventions.0.params"]),
    ("intervention_param_out_of_range", b"interventions:\n  - type: individual_training\n    params:\n"
                                        b"      effect_size: -1\n",
     ["x.yaml:4", "interventions.0.params.effect_size", "from 0 to 5"]),
    ("intervention_selection", b"interventions:\n  - type: individual_training\n    params: {selection: best}\n",
     ["x.yaml:3", "interventions.0.params", "random, position"]),
    ("intervention_nan_param", b"interventions:\n  - type: individual_training\n    params:\n"
                               b"      cost_per_participant: .inf\n",
     ["x.yaml:4", "interventions.0.params.cost_per_participant", "finite"]),
    ("intervention_without_type", b"interventions:\n  - label: x\n", ["x.yaml:2", "interventions.0.type",
                                                                     "required"]),
    ("intervention_unknown_key", b"interventions:\n  - type: individual_training\n    parms: {}\n",
     ["x.yaml:3", "interventions.0.parms", "'params'"]),
]


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def refused(capsys: pytest.CaptureFixture[str], status: int, *names: str) -> str:
    err = capsys.readouterr().err
    assert status == 2, err
    assert err.startswith("leadsim: error:") and "Traceback" not in err, err
    for name in names:
        assert name in err, (name, err)
    return err


@pytest.mark.parametrize(("content", "expected"), [v[1:] for v in VARIANTS], ids=[v[0] for v in VARIANTS])
def test_variant_is_refused(here: Path, capsys: pytest.CaptureFixture[str], content: bytes,
                            expected: list[str]) -> None:
    (here / "x.yaml").write_bytes(content)
    refused(capsys, main(["run", "x.yaml"]), *expected)
    assert tree(here) == {"x.yaml"}


def test_every_problem_of_a_file_is_listed_in_line_order(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (here / "x.yaml").write_bytes(b"months: 0\npopulation:\n  people: 1\n  peple: 2\nseed: -1\n")
    err = refused(capsys, main(["validate", "x.yaml"]), "x.yaml:1: months", "x.yaml:3: population.people",
                  "x.yaml:4: population.peple", "x.yaml:5: seed")
    assert err.index("x.yaml:1:") < err.index("x.yaml:3:") < err.index("x.yaml:5:")


def test_a_directory_is_not_a_scenario(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (here / "d.yaml").mkdir()
    refused(capsys, main(["run", "d.yaml"]), "d.yaml", "directory")


def test_missing_file_suggests_a_close_name(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (here / "baseline.yaml").write_text("name: b\n")
    refused(capsys, main(["validate", "baseline.yml"]), "baseline.yml", "no such file", "baseline.yaml")


def test_set_into_a_missing_list_item(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    refused(capsys, main(["validate", str(BASELINE), "--set", "interventions.3.type=x"]),
            "interventions.3.type (from --set)", "has no interventions", "interventions=[{type:")


def test_memory_refusal_names_the_line(here: Path, capsys: pytest.CaptureFixture[str],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEADSIM_MEMORY_LIMIT", "500M")
    (here / "x.yaml").write_text("name: big\npopulation:\n  people: 5000000\n")
    refused(capsys, main(["run", "x.yaml"]), "x.yaml:3: population.people", "5,000,000 people need about")
    assert tree(here) == {"x.yaml"}


def test_bad_memory_limit_setting(here: Path, capsys: pytest.CaptureFixture[str],
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEADSIM_MEMORY_LIMIT", "lots")
    refused(capsys, main(["run", str(BASELINE)]), "LEADSIM_MEMORY_LIMIT", "8G")
    assert tree(here) == set()


def test_bad_option_value_is_a_usage_error(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", str(BASELINE), "--replications", "0"]) == 2
    err = capsys.readouterr().err
    assert "--replications" in err and "1 or more" in err
    assert tree(here) == set()


def test_compare_needs_two_files_of_the_same_horizon_and_distinct_names(
        here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    refused(capsys, main(["compare", str(BASELINE)]), "at least two")
    (here / "short.yaml").write_text("name: short\nmonths: 12\n")
    refused(capsys, main(["compare", str(BASELINE), "short.yaml"]), "short.yaml:2: months", "12, but the first has 60",
            "same community (population) and horizon (months)")
    (here / "twin.yaml").write_text("name: baseline\nmonths: 60\n")
    refused(capsys, main(["compare", str(BASELINE), "twin.yaml"]), "twin.yaml:1: name", "distinct name")
    assert tree(here) == {"short.yaml", "twin.yaml"}


def test_unknown_intervention_name_in_the_listing(capsys: pytest.CaptureFixture[str]) -> None:
    refused(capsys, main(["interventions", "individual_trainig"]), "'individual_training'")


def test_null_scenario_file_is_valid(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(NULL)]) == 0
    assert "null" in capsys.readouterr().out


# ---- no input, however odd, escapes as anything but ScenarioFileError ------------------------------------------
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10**20, 10**20), st.floats(), st.text(max_size=8))
KEYS = st.sampled_from(["name", "months", "seed", "budget", "population", "people", "network", "community",
                        "complementarity", "interventions", "type", "params", "individual_training", "null",
                        "selection", "effect_size", "label", "budget_share", "x"])
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                         st.dictionaries(KEYS, inner, max_size=4)), max_leaves=12)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.dictionaries(KEYS, VALUES, max_size=5))
def test_any_structure_is_loaded_or_refused_cleanly(tmp_path: Path, data: dict) -> None:
    path = tmp_path / "f.yaml"
    path.write_text(yaml.safe_dump(data))
    try:
        load_scenario(path)
    except ScenarioFileError as exc:
        assert str(exc).startswith(str(path))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=200) | st.text(alphabet="[]{}:,-?!&*|>'\"#\n abc1.", max_size=120).map(str.encode))
def test_any_bytes_are_loaded_or_refused_cleanly(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "f.yaml"
    path.write_bytes(raw)
    try:
        load_scenario(path)
    except ScenarioFileError as exc:
        assert str(exc).startswith(str(path))


PARAM_KEYS = st.sampled_from(["selection", "effect_size", "every_months", "participants", "start_month", "x"])


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kind=st.sampled_from(["individual_training", "null", "individual_trainin"]),
       params=st.dictionaries(PARAM_KEYS, SCALARS, max_size=4), share=SCALARS)
def test_any_intervention_params_are_loaded_or_refused_cleanly(tmp_path: Path, kind: str, params: dict,
                                                              share: object) -> None:
    path = tmp_path / "f.yaml"
    path.write_text(yaml.safe_dump({"budget": 1000, "interventions": [
        {"type": kind, "params": params, "budget_share": share}]}))
    try:
        load_scenario(path)
    except ScenarioFileError as exc:
        assert str(exc).startswith(str(path)) and "interventions.0" in str(exc)
