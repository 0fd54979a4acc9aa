"""The ODD document must not drift from the code: its parameter tables are what the generator makes from the code
now, and its process overview names every process of the model's step in the order the step runs them."""

from __future__ import annotations

import ast
import importlib.util
import re
import sys
from pathlib import Path

import pytest

from simulation import Scenario
from simulation.core.interventions import REGISTRY

ROOT = Path(__file__).resolve().parent.parent
ODD = ROOT / "docs" / "ODD.md"
MODEL = ROOT / "simulation" / "core" / "model.py"
INTERVENTIONS_MARKER = "<!-- interventions: one subsection per intervention below -->"


def _load_generator():
    spec = importlib.util.spec_from_file_location("param_table", ROOT / "docs" / "param_table.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


gen = _load_generator()


def _table_rows(table: str) -> dict[str, list[str]]:
    """Markdown table rows keyed by the first cell (backticks stripped)."""
    rows = {}
    for line in table.splitlines()[2:]:
        if not line.startswith("|"):  # the count line under the table
            continue
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
        rows[cells[0].strip("`")] = cells
    return rows


def _leaf_paths(data: dict, prefix: str = "") -> list[str]:
    paths = []
    for key, value in data.items():
        if isinstance(value, dict):
            paths.extend(_leaf_paths(value, f"{prefix}{key}."))
        else:
            paths.append(f"{prefix}{key}")
    return paths


# ---- parameter tables ------------------------------------------------------------------------------------------
def test_parameter_tables_in_odd_are_current():
    text = ODD.read_text(encoding="utf-8")
    stale = gen.stale_blocks(text)
    assert not stale, f"docs/ODD.md has stale parameter tables {stale}: run .venv/bin/python docs/param_table.py"
    assert gen.render(text) == text


def test_odd_has_the_scenario_table_and_the_interventions_marker_once():
    text = ODD.read_text(encoding="utf-8")
    assert text.count(gen.SCENARIO_START) == 1 and text.count(gen.SCENARIO_END) == 1
    assert text.count(INTERVENTIONS_MARKER) == 1
    assert INTERVENTIONS_MARKER + "\n" in text or text.endswith(INTERVENTIONS_MARKER)


def test_table_has_every_scenario_field_with_its_default_and_range():
    rows = _table_rows(gen.scenario_table())
    scenario = Scenario()
    for path in _leaf_paths(scenario.model_dump()):
        assert path in rows, f"{path} missing from the parameter table"
    # Defaults and ranges come from the pydantic fields, not from a copy: check them against the metadata.
    for section_name in ("population", "network", "learning", "engagement", "initiatives", "community", "turnover"):
        section = getattr(scenario, section_name)
        for name, field in type(section).model_fields.items():
            cells = rows[f"{section_name}.{name}"]
            assert cells[1] == gen.cell(gen.fmt_default(getattr(section, name)))
            bounds = {type(m).__name__: m for m in field.metadata}
            if "Ge" in bounds and "Le" in bounds:
                assert cells[2] == f"{gen.fmt_number(bounds['Ge'].ge)} – {gen.fmt_number(bounds['Le'].le)}"
            extra = field.json_schema_extra or {}
            assert cells[4] == gen.cell(extra.get("concept_source") or gen.NONE)
            assert cells[5] == gen.cell(extra["value_source"])
            assert cells[6] == ("yes" if extra["value_checked"] else "no" if extra["value_source"] not in
                                ("assumption", "setting") else gen.NONE)


def test_a_changed_default_makes_the_table_stale_and_regenerating_fixes_it(tmp_path, monkeypatch):
    doc = tmp_path / "ODD.md"
    doc.write_text(ODD.read_text(encoding="utf-8"), encoding="utf-8")
    assert gen.main(["--check", "--file", str(doc)]) == 0
    field = type(Scenario().community).model_fields["inertia_months"]
    monkeypatch.setattr(field, "default", 37.0)  # what a recalibrated default looks like to the generator
    assert gen.main(["--check", "--file", str(doc)]) == 1
    assert gen.main(["--file", str(doc)]) == 0
    assert gen.main(["--check", "--file", str(doc)]) == 0
    assert "| `community.inertia_months` | 37 |" in doc.read_text(encoding="utf-8")


def test_intervention_tables_show_what_differs_from_the_contract():
    base = _table_rows(gen.intervention_table("base"))
    assert set(base) == set(REGISTRY["null"].Params.model_fields)
    own = _table_rows(gen.intervention_table("individual_training"))
    assert "effect_size" in own and own["cost_per_participant"][1] == "12,000"
    assert "start_month" not in own  # unchanged from the contract


def test_tables_show_concept_and_value_sources_and_count_them():
    rows = gen.scenario_rows()
    by_path = {r.path: r for r in rows}
    tail = by_path["population.org_size_tail"]
    assert "Axtell 2001" in tail.concept and "1.059" in tail.value and tail.kind == "checked"
    assert by_path["community.inertia_months"].value == "assumption"
    assert by_path["seed"].kind == "setting"
    counted = gen.counts(rows)
    assert counted["parameters"] == len(rows) - 1  # the interventions list is not a parameter
    assert counted["sourced"] + counted["assumptions"] + counted["settings"] == counted["parameters"]
    assert 0 < counted["checked"] <= counted["sourced"]
    table = gen.scenario_table()
    assert table.rstrip().endswith(f"{counted['settings']} settings.")
    own = _table_rows(gen.intervention_table("individual_training"))
    assert own["effect_size"][6] == "yes" and "Lacerenza" in own["effect_size"][5]
    assert own["cost_per_participant"][5] == "assumption" and own["cost_per_participant"][6] == gen.NONE


def test_counts_option_prints_totals(capsys):
    assert gen.main(["--counts"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("scenario: {'parameters': ") and "interventions: {'parameters': " in out


def test_missing_markers_are_a_clear_error(tmp_path, capsys):
    doc = tmp_path / "ODD.md"
    doc.write_text("# no tables here\n", encoding="utf-8")
    assert gen.main(["--check", "--file", str(doc)]) == 2
    assert "param-table:start" in capsys.readouterr().err
    assert doc.read_text(encoding="utf-8") == "# no tables here\n"


@pytest.mark.parametrize(("value", "text"), [(2000, "2000"), (20_000_000, "20,000,000"), (0.012, "0.012"),
                                             (1e13, "1e13"), (8.0, "8"), (2**63 - 1, "2^63 − 1"), (None, "none")])
def test_numbers_are_written_as_a_reader_writes_them(value, text):
    assert gen.fmt_default(value) == text


# ---- process overview ------------------------------------------------------------------------------------------
def _step_calls() -> list[str]:
    """Names of the calls the step makes, statement by statement, with the model's private helpers inlined."""
    tree = ast.parse(MODEL.read_text(encoding="utf-8"))
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "LeadershipModel")
    methods = {n.name: n for n in cls.body if isinstance(n, ast.FunctionDef)}

    def calls(body: list[ast.stmt]) -> list[str]:
        out = []
        for stmt in body:
            if isinstance(stmt, (ast.For, ast.If, ast.While, ast.With)):
                out.extend(calls(stmt.body))
                continue
            value = getattr(stmt, "value", None)
            if not isinstance(value, ast.Call):
                continue
            func = value.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            is_own = isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "self"
            if is_own and name.startswith("_") and name in methods:
                out.extend(calls(methods[name].body))
            else:
                out.append(name)
        return out

    return calls(methods["step"].body)


def _section_3() -> str:
    text = ODD.read_text(encoding="utf-8")
    start = text.index("\n## 3 ")
    return text[start: text.index("\n## 4 ", start)]


def test_step_calls_are_found():
    names = _step_calls()
    assert names[0] == "run_month" and "apply_turnover" in names and "update_ties" in names
    assert names[-1] == "collect"


def test_section_3_names_every_process_of_the_step_in_order():
    section = _section_3()
    table = "\n".join(line for line in section.splitlines() if line.startswith("|"))
    spans = re.findall(r"`([^`]+)`", table)
    first = {}
    for name in _step_calls():
        hits = [i for i, span in enumerate(spans) if re.search(rf"\b{re.escape(name)}\b", span)]
        assert hits, f"process {name!r} of LeadershipModel.step is not named in ODD section 3's schedule table"
        first[name] = hits[0]
    order = [first[name] for name in _step_calls()]
    assert order == sorted(order), "ODD section 3 lists the processes in a different order from the step"


def test_section_3_names_every_module_of_the_model_docstring():
    doc = ast.get_docstring(ast.parse(MODEL.read_text(encoding="utf-8")))
    modules = re.findall(r"``([\w/]+(?:\.py|/))``", doc)
    assert len(modules) >= 9
    section = _section_3()
    for module in modules:
        assert module in section, f"{module} (model.py step order) is not named in ODD section 3"


ARCHITECTURE = ROOT / "docs" / "architecture.md"


def _named_files(text: str) -> set[str]:
    """Every `name.py` (or `folder/`) a page's tables name in backticks, with the folder the row implies."""
    return set(re.findall(r"`((?:simulation/|core/|studies/|cli/|viz/|interventions/|tests/)?[\w/]+\.py)`", text))


def test_every_file_the_architecture_page_names_exists():
    text = ARCHITECTURE.read_text(encoding="utf-8")
    names = _named_files(text)
    assert len(names) > 30  # the tables were read at all
    places = [ROOT, ROOT / "simulation", ROOT / "simulation" / "core", ROOT / "simulation" / "core" / "interventions",
              ROOT / "simulation" / "studies"]
    missing = sorted(n for n in names if not any((p / n).is_file() for p in places))
    assert not missing, f"docs/architecture.md names files that do not exist: {missing}"


def test_the_step_shown_in_the_architecture_page_is_the_models_step():
    block = ARCHITECTURE.read_text(encoding="utf-8").split("```python")[1].split("```")[0]
    shown = re.findall(r"^\s*(?:self\.recorder\.|intervention\.)?(\w+)\(self\)", block, flags=re.M)
    assert shown == _step_calls()
