"""Validation reports every problem of a file at once, whatever stage finds it, and reads 4e5 as a number."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_support import ROOT, assert_refused, leadsim

from simulation.scenario_files import load_scenario, parse_yaml

BAD = """\
name: bad
months: 12
population: {people: 300, org_size_min: 50, org_size_max: 10}
netwrk: {}
interventions:
  - type: individual_training
    params: {selection: positon, every_months: 0}
  - type: hosting
    params: {selection: randm}
  - type: individual_trainin
"""


def test_every_stage_s_problems_are_reported_together(tmp_path: Path) -> None:
    """The issue's case: a misspelt selection showed only after the misspelt schedule was fixed; a model-level
    rule (organization sizes) only after every field was valid."""
    path = tmp_path / "bad.yaml"
    path.write_text(BAD)
    result = leadsim("validate", path, cwd=tmp_path)
    assert_refused(result,
                   f"{path}:4: netwrk: unknown field 'netwrk'. Did you mean 'network'?",
                   f"{path}:7: interventions.0.params.every_months: got 0",
                   f"{path}:7: interventions.0.params.selection: unknown choice 'positon'.",
                   f"{path}:9: interventions.1.params.selection: unknown choice 'randm'.",
                   f"{path}:10: interventions.2.type: unknown intervention 'individual_trainin'",
                   "org_size_max must be at least population.org_size_min")
    assert len(result.stderr.splitlines()) == 6, result.stderr


def test_a_misspelt_choice_gets_its_line_the_nearest_choice_and_every_allowed_one(tmp_path: Path) -> None:
    """An intervention's selection (checked by the core's validator) reads like any other choice (a pattern of
    alternatives in the scenario): the field at its line, did-you-mean, what is allowed; nothing is written."""
    path = tmp_path / "typo.yaml"
    path.write_text("name: typo\nturnover:\n  shock_target: executivs\ninterventions:\n  - type: hosting\n"
                    "    params:\n      selection: random_peple\n")
    result = leadsim("validate", path, cwd=tmp_path)
    allowed = "Allowed: one of random, position, centrality, nomination, stratified, place, engagement, periphery"
    assert_refused(result, f"{path}:3: turnover.shock_target: unknown choice 'executivs'. Did you mean "
                           "'executives'? Allowed: one of executives, most_connected, trained",
                   f"{path}:7: interventions.0.params.selection: unknown choice 'random_peple'. Did you mean "
                   f"'random'? {allowed}")
    assert len(result.stderr.splitlines()) == 2 and result.stdout == "" and sorted(tmp_path.iterdir()) == [path]


def test_a_valid_file_still_validates_in_one_pass() -> None:
    assert load_scenario(ROOT / "scenarios" / "baseline.yaml").scenario.name == "baseline"


@pytest.mark.parametrize(("text", "value"), [("4e5", 400_000.0), ("1E-3", 0.001), ("-2.5e+3", -2500.0),
                                              ("4.0e5", 400_000.0), ("12", 12), ("4e5x", "4e5x"), ("e5", "e5")])
def test_exponent_numbers_are_numbers(text: str, value: object) -> None:
    """YAML 1.1 (PyYAML) wants a dot in 4.0e5 and read `budget: 4e5` as text; YAML 1.2 and Python read a number."""
    data, _ = parse_yaml(f"a: {text}", "x.yaml")
    assert data["a"] == value and type(data["a"]) is type(value)


def test_budget_4e5_in_a_file_and_on_the_command_line(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("name: s\nbudget: 4e5\n")
    assert load_scenario(path).scenario.budget == 400_000.0
    assert load_scenario(path, {"budget": parse_yaml("6e5", "--set")[0]}).scenario.budget == 600_000.0
    result = leadsim("validate", path, "--set", "budget=5e5", cwd=tmp_path)
    assert result.returncode == 0 and "budget 500,000" in result.stdout, result.stderr
