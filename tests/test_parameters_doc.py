"""The readable reference: docs/parameters.md is what `leadsim schema --table` makes from the code now, every field
is in it with its default, range, unit and source(s), and `leadsim interventions` is short without a name."""

from __future__ import annotations

import typing
from pathlib import Path

from cli_support import ROOT, leadsim
from pydantic import BaseModel, Field

from simulation import REGISTRY, Scenario
from simulation.parameters import field_metadata, markdown, scenario_rows
from simulation.scenario_files import describe, type_words
from simulation.studies.spec import StudySpec

DOC = ROOT / "docs" / "parameters.md"


def test_the_committed_reference_is_what_the_code_gives() -> None:
    assert DOC.read_text(encoding="utf-8") == markdown(), (
        "docs/parameters.md is stale: run `leadsim schema --table > docs/parameters.md`")


def test_schema_table_prints_the_reference(tmp_path: Path) -> None:
    result = leadsim("schema", "--table", cwd=tmp_path)
    assert result.returncode == 0 and result.stdout == markdown(), result.stderr


def _leaves(model: type[BaseModel], prefix: str = "") -> list[str]:
    out = []
    for name, field in model.model_fields.items():
        if isinstance(field.annotation, type) and issubclass(field.annotation, BaseModel):
            out += _leaves(field.annotation, f"{prefix}{name}.")
        else:
            out.append(f"{prefix}{name}")
    return out


def test_every_field_has_a_row_with_its_facts() -> None:
    text = markdown()
    for path in _leaves(Scenario):
        assert f"| `{path}` |" in text, path
    for name, cls in REGISTRY.items():
        section = text.split(f"## `{name}`\n", 1)[1].split("\n## ", 1)[0]
        for field in cls.Params.model_fields:
            assert f"| `params.{field}` |" in section, (name, field)
    people = next(r for r in scenario_rows() if r.path == "population.people")
    assert (people.default, people.range, people.unit) == ("2000", "20 – 20,000,000", "people")


def test_sources_are_read_through_one_function_that_knows_every_source_key() -> None:
    class Params(BaseModel):
        x: float = Field(1.0, json_schema_extra={"unit": "share", "source": "A 2001", "concept_source": "B 1999",
                                                 "value_source": "C 2020"})
        y: float = Field(1.0)

    assert field_metadata(Params.model_fields["x"]) == {"unit": "share",
                                                         "source": "A 2001; concept: B 1999; value: C 2020"}
    assert field_metadata(Params.model_fields["y"]) == {"unit": "—", "source": "—"}


PYTHON_NAMES = ("Literal", "Union", "Optional", "NoneType", "Annotated", "int]", "str]", "float]", "typing",
                "<class", "BaseModel")


def _fields(model: type[BaseModel]) -> list:
    out = []
    for field in model.model_fields.values():
        out.append(field)
        for arg in (field.annotation, *typing.get_args(field.annotation)):
            if isinstance(arg, type) and issubclass(arg, BaseModel):
                out += _fields(arg)
    return out


def test_no_python_type_name_leaks_into_what_is_allowed() -> None:
    """The issue's case: "Allowed: Literal - factorial ..." for a study's design method."""
    models = [Scenario, StudySpec, *(cls.Params for cls in REGISTRY.values())]
    for model in models:
        for field in _fields(model):
            text = describe(field)
            assert not any(name in text for name in PYTHON_NAMES), (model.__name__, text)
    assert type_words(typing.Literal["factorial", "latin"]) == "one of factorial, latin"


def test_interventions_without_a_name_is_a_short_list(tmp_path: Path) -> None:
    result = leadsim("interventions", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) <= 2 * len(REGISTRY) + 8, len(lines)  # was 555 lines
    for name in REGISTRY:
        assert any(line.split()[:1] == [name] for line in lines), name
    assert "leadsim interventions NAME" in result.stdout
    one = leadsim("interventions", "hosting", cwd=tmp_path)
    assert one.returncode == 0 and one.stdout.startswith("hosting\n")
    for field in REGISTRY["hosting"].Params.model_fields:
        assert f"    {field} " in one.stdout, field
    assert "\nmentoring\n" not in one.stdout
