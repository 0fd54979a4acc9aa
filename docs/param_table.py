"""Generate the parameter tables of docs/ODD.md from the code, so the documentation cannot drift from it.

Why generated: defaults are still being calibrated, and a hand-written table would silently go stale. The tables
are read from the pydantic fields of ``simulation.Scenario`` (default, ``ge``/``le`` range, description; unit,
concept source, value source and whether the value was checked from ``json_schema_extra``, written by
``simulation.core.provenance.param``) and of the intervention parameter classes, and written between marker comments:

* ``<!-- param-table:start -->`` ... ``<!-- param-table:end -->`` - every scenario field, as a dotted path;
* ``<!-- param-table:intervention:NAME:start -->`` ... ``<!-- param-table:intervention:NAME:end -->`` - the
  parameters of the registered intervention NAME that differ from the shared contract (new fields, or a changed
  default or description); NAME ``base`` gives the shared contract (``InterventionParams``) itself.

Usage (from the repository root)::

    .venv/bin/python docs/param_table.py            # rewrite the tables in docs/ODD.md
    .venv/bin/python docs/param_table.py --check    # exit 1 if a table is stale, 0 if all are current
    .venv/bin/python docs/param_table.py --print    # print the scenario table
    .venv/bin/python docs/param_table.py --counts   # print how many values are sourced, checked, assumptions

Every table ends with a count of its values: how many are sourced (and of those, checked), assumptions and
settings (choices of the study, such as the horizon or the seed). ``--counts`` prints the totals for the scenario and
for all registered interventions.

Exit status 2 (with one message) if the file or a marker is missing.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere: the package lives beside docs/
    sys.path.insert(0, str(ROOT))

from pydantic import BaseModel  # noqa: E402
from pydantic.fields import FieldInfo  # noqa: E402

ODD = ROOT / "docs" / "ODD.md"
SCENARIO_START, SCENARIO_END = "<!-- param-table:start -->", "<!-- param-table:end -->"
BLOCK = re.compile(r"(<!-- param-table(?::intervention:(?P<name>[A-Za-z0-9_]+))?:start -->\n)(?P<body>.*?)"
                   r"(<!-- param-table(?::intervention:(?P=name))?:end -->)", re.S)
HEADER = ("| parameter | default | range | unit | concept from | value from | checked | description |\n"
          "|---|---|---|---|---|---|---|---|\n")
INTERVENTION_HEADER = HEADER
NONE = "—"
CHECKED = {"checked": "yes", "unchecked": "no", "assumption": NONE, "setting": NONE, "list": NONE}


@dataclass(frozen=True)
class Row:
    path: str
    default: str
    range: str
    unit: str
    concept: str
    value: str
    kind: str  # "checked", "unchecked" (a sourced value), "assumption", "setting" (core/provenance.py) or "list"
    description: str

    @property
    def source(self) -> str:
        """The value's source, as the single source column of earlier tables gave it."""
        return self.value

    def cells(self) -> str:
        return (f"| `{self.path}` | {cell(self.default)} | {cell(self.range)} | {cell(self.unit)} | "
                f"{cell(self.concept)} | {cell(self.value)} | {CHECKED[self.kind]} | {cell(self.description)} |\n")


# ---- formatting: one owner, simulation.parameters (which also writes docs/parameters.md) ---------------------------
# ---- reading the code ------------------------------------------------------------------------------------------
from simulation.parameters import (  # noqa: E402, F401
    _is_section,  # noqa: E402
    cell,
    fmt_default,
    fmt_number,
    fmt_range,
)
from simulation.parameters import default_of as _default  # noqa: E402


def field_row(path: str, field: FieldInfo) -> Row:
    """A table row from a field's constraints and its provenance metadata."""
    from simulation.core.provenance import provenance

    prov = provenance(field)
    return Row(path, fmt_default(_default(field)), fmt_range(field), prov.unit or NONE, prov.concept or NONE,
               prov.value, prov.kind, field.description or NONE)


def scenario_rows(model: type[BaseModel] | None = None, prefix: str = "") -> list[Row]:
    """One row per scenario field, sections expanded into dotted paths (``population.people``)."""
    if model is None:
        from simulation import Scenario

        model = Scenario
    rows: list[Row] = []
    for name, field in model.model_fields.items():
        path = f"{prefix}{name}"
        if _is_section(field):
            rows.extend(scenario_rows(field.annotation, prefix=f"{path}."))
            continue
        if name == "interventions" and not prefix:  # not a parameter: the list whose parameters are §8's
            rows.append(Row(path, "[] (none)", "list of interventions", NONE, "§8", "§8", "list",
                            "The interventions of the scenario: type, label, budget_share, params (see §8)."))
            continue
        rows.append(field_row(path, field))
    return rows


def counts(rows: list[Row]) -> dict[str, int]:
    """How many values are sourced (checked or not), assumptions and settings."""
    kinds = [r.kind for r in rows if r.kind != "list"]
    return {"parameters": len(kinds), "sourced": kinds.count("checked") + kinds.count("unchecked"),
            "checked": kinds.count("checked"), "assumptions": kinds.count("assumption"),
            "settings": kinds.count("setting")}


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def count_line(rows: list[Row]) -> str:
    c, n = counts(rows), _n
    return (f"\nValues of these {n(c['parameters'], 'parameter')}: {c['sourced']} from a source ({c['checked']} "
            f"checked), {n(c['assumptions'], 'assumption')}, {n(c['settings'], 'setting')}.\n")


def render_rows(rows: list[Row]) -> str:
    return HEADER + "".join(r.cells() for r in rows) + count_line(rows)


def scenario_table() -> str:
    return render_rows(scenario_rows())


def intervention_params(name: str) -> tuple[type[BaseModel], bool]:
    """The parameter class of a registered intervention (``base``: the shared contract) and whether it is base."""
    from simulation.core.interventions import InterventionParams, intervention_class

    if name == "base":
        return InterventionParams, True
    return intervention_class(name).Params, False


def intervention_rows(name: str) -> list[Row]:
    """The intervention's own parameters: new fields and shared ones whose default, description or provenance it
    changes (``base``: every field of the shared contract)."""
    from simulation.core.interventions import InterventionParams

    params, is_base = intervention_params(name)
    base_fields = InterventionParams.model_fields
    rows = []
    for field_name, field in params.model_fields.items():
        shared = base_fields.get(field_name)
        if not is_base and shared is not None and _default(shared) == _default(field) \
                and shared.description == field.description and shared.json_schema_extra == field.json_schema_extra:
            continue
        rows.append(field_row(field_name, field))
    return rows


def intervention_table(name: str) -> str:
    return render_rows(intervention_rows(name))


def all_intervention_rows() -> list[Row]:
    """Every parameter of every registered intervention (shared contract fields counted once, in ``base``)."""
    from simulation.core.interventions import REGISTRY

    rows = intervention_rows("base")
    for name in sorted(REGISTRY):
        if name != "null":
            rows.extend(intervention_rows(name))
    return rows


# ---- rewriting the document ------------------------------------------------------------------------------------
class MarkerError(ValueError):
    pass


def render(text: str) -> str:
    """``text`` with every table between markers regenerated."""
    if SCENARIO_START not in text or SCENARIO_END not in text:
        raise MarkerError(f"the markers {SCENARIO_START} and {SCENARIO_END} are missing")

    def replace(match: re.Match[str]) -> str:
        name = match.group("name")
        table = scenario_table() if name is None else intervention_table(name)
        return match.group(1) + table + match.group(4)

    return BLOCK.sub(replace, text)


def stale_blocks(text: str) -> list[str]:
    """Names of the tables whose text differs from what the code gives now (``scenario`` or an intervention)."""
    fresh = render(text)
    old = {m.group("name") or "scenario": m.group("body") for m in BLOCK.finditer(text)}
    new = {m.group("name") or "scenario": m.group("body") for m in BLOCK.finditer(fresh)}
    return [name for name in new if old.get(name) != new[name]]


def write_atomically(path: Path, text: str) -> None:
    """Replace the file in one step, so a reader (or a crash) never sees half a document."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Regenerate (or check) the parameter tables in docs/ODD.md.")
    parser.add_argument("--check", action="store_true", help="exit 1 if a table is stale; change nothing")
    parser.add_argument("--print", dest="show", action="store_true", help="print the scenario table and exit")
    parser.add_argument("--counts", action="store_true", help="print how many values are sourced and checked")
    parser.add_argument("--file", type=Path, default=ODD, help="the document to update (default: docs/ODD.md)")
    args = parser.parse_args(argv)
    if args.show:
        sys.stdout.write(scenario_table())
        return 0
    if args.counts:
        for label, rows in (("scenario", scenario_rows()), ("interventions", all_intervention_rows())):
            sys.stdout.write(f"{label}: {counts(rows)}\n")
        return 0
    try:
        text = args.file.read_text(encoding="utf-8")
        fresh = render(text)
        stale = stale_blocks(text)
    except FileNotFoundError:
        print(f"{args.file}: no such file", file=sys.stderr)
        return 2
    except (MarkerError, KeyError) as error:
        print(f"{args.file}: {error.args[0]}", file=sys.stderr)
        return 2
    if args.check:
        if stale:
            print(f"{args.file}: stale parameter table(s): {', '.join(stale)}. "
                  f"Run: .venv/bin/python docs/param_table.py", file=sys.stderr)
            return 1
        return 0
    if fresh != text:
        write_atomically(args.file, fresh)
        print(f"{args.file}: regenerated {', '.join(stale)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
