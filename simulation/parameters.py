"""The parameter reference: every field of a scenario and of each intervention, as rows and as a Markdown table.

One reader of the facts the code declares about a field - default, range, unit, sources, description - for
``leadsim schema --table``, the generated ``docs/parameters.md`` and the tables of ``docs/ODD.md``
(``docs/param_table.py``). Unit and sources sit in each field's ``json_schema_extra``; :func:`field_metadata` is
the only code that reads them, so a new kind of source (a key in :data:`SOURCE_KEYS`) shows in every table.

Reads the code; writes nothing (``leadsim schema --table > docs/parameters.md`` writes the document).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

NONE = "—"
SOURCE_KEYS = (("source", ""), ("concept_source", "concept"), ("value_source", "value"))
"""The ``json_schema_extra`` keys that name where a field comes from, and how a table labels each (the plain
``source`` needs no label)."""
DOC_HEADER = """\
# Parameters

Every field of a scenario file and of each intervention's `params`: its dotted path, default, allowed range, unit,
source(s) and meaning. Generated from the code by `leadsim schema --table > docs/parameters.md` - do not edit by
hand; `tests/test_parameters_doc.py` fails when this file differs from what the code gives. Set any of them in a
scenario file, or with `--set PATH=VALUE` (`leadsim validate` checks a file; `leadsim interventions NAME` shows one
intervention; `leadsim schema` is the JSON Schema for editors).
"""
TABLE_HEADER = "| path | default | range | unit | source(s) | description |\n|---|---|---|---|---|---|\n"


@dataclass(frozen=True)
class Row:
    path: str
    default: str
    range: str
    unit: str
    source: str
    description: str


def field_metadata(field: FieldInfo) -> dict[str, str]:
    """The unit and the source(s) of a field, as table cells (:data:`NONE` when the code gives none)."""
    extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
    sources = [f"{label}: {extra[key]}" if label else str(extra[key]) for key, label in SOURCE_KEYS if extra.get(key)]
    return {"unit": str(extra.get("unit") or NONE), "source": "; ".join(sources) or NONE}


# ---- formatting ----------------------------------------------------------------------------------------------
def fmt_number(value: float | int) -> str:
    """Numbers as a reader writes them: 2,000 and 0.012, not 2000.0; huge bounds in powers of ten."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int):
        if value == 2**63 - 1:
            return "2^63 − 1"
        return f"{value:,}" if abs(value) >= 10_000 else str(value)
    if value != value:  # NaN cannot be a default (allow_inf_nan=False), but do not crash on it
        return "nan"
    if float(value).is_integer() and abs(value) >= 1e7:
        exponent = len(str(int(abs(value)))) - 1
        mantissa = value / 10**exponent
        return f"1e{exponent}" if mantissa == 1 else f"{mantissa:g}e{exponent}"
    if float(value).is_integer():
        return f"{int(value):,}" if abs(value) >= 10_000 else str(int(value))
    return f"{value:g}"


def fmt_default(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, (int, float)):
        return fmt_number(value)
    if isinstance(value, str):
        return f"`{value}`" if value else '`""`'
    if isinstance(value, (list, tuple)):
        return ", ".join(fmt_default(v) for v in value) if value else "[]"
    return f"`{value!r}`"


def fmt_range(field: FieldInfo) -> str:
    """The allowed values from the field's constraints (``ge``/``le``, a pattern of choices, a length)."""
    ge = le = min_len = max_len = pattern = None
    for item in field.metadata:
        ge = getattr(item, "ge", ge)
        le = getattr(item, "le", le)
        min_len = getattr(item, "min_length", min_len)
        max_len = getattr(item, "max_length", max_len)
        pattern = getattr(item, "pattern", pattern)
    if ge is not None and le is not None:
        return f"{fmt_number(ge)} – {fmt_number(le)}"
    if ge is not None:
        return f"≥ {fmt_number(ge)}"
    if le is not None:
        return f"≤ {fmt_number(le)}"
    if pattern:
        choices = re.fullmatch(r"\^\((.*)\)\$", pattern)
        return "one of " + ", ".join(f"`{c}`" for c in choices.group(1).split("|")) if choices else f"`{pattern}`"
    if min_len is not None or max_len is not None:
        return f"{min_len or 0} – {max_len if max_len is not None else '∞'} items" \
            if "list" in str(field.annotation) else f"{min_len or 0} – {fmt_number(max_len)} characters"
    return NONE


def cell(text: str) -> str:
    """Markdown-table-safe text: no pipes or line breaks inside a cell."""
    return " ".join(str(text).split()).replace("|", "\\|") or NONE


# ---- reading the code ------------------------------------------------------------------------------------------
def default_of(field: FieldInfo) -> Any:
    return field.default_factory() if field.default_factory is not None else field.default


def _is_section(field: FieldInfo) -> bool:
    return isinstance(field.annotation, type) and issubclass(field.annotation, BaseModel)


def field_row(path: str, field: FieldInfo) -> Row:
    meta = field_metadata(field)
    return Row(path, fmt_default(default_of(field)), fmt_range(field), meta["unit"], meta["source"],
               field.description or NONE)


def scenario_rows(model: type[BaseModel] | None = None, prefix: str = "", interventions_note: str = "below",
                  interventions_source: str | None = None) -> list[Row]:
    """One row per scenario field, sections expanded into dotted paths (``population.people``); the
    ``interventions`` row points to where they are described (``interventions_note``, also its source cell unless
    ``interventions_source`` is given)."""
    if model is None:
        from simulation.core.scenario import Scenario

        model = Scenario
    rows: list[Row] = []
    for name, field in model.model_fields.items():
        path = f"{prefix}{name}"
        if _is_section(field):
            rows.extend(scenario_rows(field.annotation, f"{path}.", interventions_note, interventions_source))
        elif name == "interventions" and not prefix:
            source = interventions_note if interventions_source is None else interventions_source
            rows.append(Row(path, "[] (none)", "list of interventions", NONE, source,
                            f"The interventions of the scenario: type, label, budget_share, params (see "
                            f"{interventions_note})."))
        else:
            rows.append(field_row(path, field))
    return rows


def intervention_rows(name: str) -> list[Row]:
    """Every parameter of the registered intervention ``name`` (``interventions.N.params.FIELD``)."""
    from simulation.core.interventions import REGISTRY

    fields = REGISTRY.params(name).model_fields  # its parameter module only: Mesa and the kernels stay unloaded
    return [field_row(f"params.{field_name}", field) for field_name, field in fields.items()]


def table(rows: list[Row]) -> str:
    return TABLE_HEADER + "".join(
        f"| `{r.path}` | {cell(r.default)} | {cell(r.range)} | {cell(r.unit)} | {cell(r.source)} | "
        f"{cell(r.description)} |\n" for r in rows)


def markdown() -> str:
    """The whole reference (``docs/parameters.md``): the scenario's fields, an intervention entry's, and each
    registered intervention's parameters."""
    from simulation.core.interventions import REGISTRY
    from simulation.core.scenario import InterventionSpec

    rows = scenario_rows(interventions_note="the sections below", interventions_source=NONE)
    parts = [DOC_HEADER, "\n## Scenario\n\n", table(rows)]
    entry = [field_row(name, field) for name, field in InterventionSpec.model_fields.items()]
    parts += ["\n## An intervention (each item of `interventions`)\n\n",
              "`type` names one of the interventions below; `params` takes its parameters "
              "(`interventions.N.params.FIELD`).\n\n", table(entry)]
    for name in sorted(REGISTRY):
        source = f" Source: {REGISTRY.source(name)}." if REGISTRY.source(name) else ""
        parts += [f"\n## `{name}`\n\n", f"{cell(REGISTRY.summary(name))}{source}\n\n", table(intervention_rows(name))]
    return "".join(parts)
