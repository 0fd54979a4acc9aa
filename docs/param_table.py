"""Generate the parameter tables of docs/ODD.md from the code, so the documentation cannot drift from it.

Why generated: defaults are still being calibrated, and a hand-written table would silently go stale. The tables
are read from the pydantic fields of ``simulation.Scenario`` (default, ``ge``/``le`` range, description; unit and
source from ``json_schema_extra``) and of the intervention parameter classes by ``simulation.parameters`` (which
also makes ``docs/parameters.md`` and ``leadsim schema --table``), and written between marker comments:

* ``<!-- param-table:start -->`` ... ``<!-- param-table:end -->`` - every scenario field, as a dotted path;
* ``<!-- param-table:intervention:NAME:start -->`` ... ``<!-- param-table:intervention:NAME:end -->`` - the
  parameters of the registered intervention NAME that differ from the shared contract (new fields, or a changed
  default or description); NAME ``base`` gives the shared contract (``InterventionParams``) itself.

Usage (from the repository root)::

    .venv/bin/python docs/param_table.py            # rewrite the tables in docs/ODD.md
    .venv/bin/python docs/param_table.py --check    # exit 1 if a table is stale, 0 if all are current
    .venv/bin/python docs/param_table.py --print    # print the scenario table

Exit status 2 (with one message) if the file or a marker is missing.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere: the package lives beside docs/
    sys.path.insert(0, str(ROOT))

from simulation.parameters import (  # noqa: E402  (the one reader of fields' facts, shared with leadsim schema)
    NONE,
    Row,
    cell,
    default_of,
    field_metadata,
    fmt_default,
    fmt_number,
    fmt_range,
)
from simulation.parameters import scenario_rows as _scenario_rows  # noqa: E402

ODD = ROOT / "docs" / "ODD.md"
SCENARIO_START, SCENARIO_END = "<!-- param-table:start -->", "<!-- param-table:end -->"
BLOCK = re.compile(r"(<!-- param-table(?::intervention:(?P<name>[A-Za-z0-9_]+))?:start -->\n)(?P<body>.*?)"
                   r"(<!-- param-table(?::intervention:(?P=name))?:end -->)", re.S)
HEADER = ("| parameter | default | range | unit | source | description |\n"
          "|---|---|---|---|---|---|\n")
INTERVENTION_HEADER = "| parameter | default | range | description |\n|---|---|---|---|\n"
__all__ = ["NONE", "Row", "cell", "field_metadata", "fmt_default", "fmt_number", "fmt_range", "intervention_table",
           "main", "render", "scenario_rows", "scenario_table", "stale_blocks"]


def scenario_rows() -> list[Row]:
    """One row per scenario field (``simulation.parameters.scenario_rows``), the interventions pointing to §8."""
    return _scenario_rows(interventions_note="§8")


def scenario_table() -> str:
    return HEADER + "".join(
        f"| `{r.path}` | {cell(r.default)} | {cell(r.range)} | {cell(r.unit)} | {cell(r.source)} | "
        f"{cell(r.description)} |\n" for r in scenario_rows())


def intervention_params(name: str):
    """The parameter class of a registered intervention (``base``: the shared contract) and whether it is base."""
    from simulation.core.interventions import InterventionParams, intervention_class

    if name == "base":
        return InterventionParams, True
    return intervention_class(name).Params, False


def intervention_table(name: str) -> str:
    """The intervention's own parameters: new fields and shared ones whose default or description it changes."""
    from simulation.core.interventions import InterventionParams

    params, is_base = intervention_params(name)
    base_fields = InterventionParams.model_fields
    lines = []
    for field_name, field in params.model_fields.items():
        shared = base_fields.get(field_name)
        if not is_base and shared is not None and default_of(shared) == default_of(field) \
                and shared.description == field.description:
            continue
        lines.append(f"| `{field_name}` | {cell(fmt_default(default_of(field)))} | {cell(fmt_range(field))} | "
                     f"{cell(field.description or NONE)} |\n")
    return INTERVENTION_HEADER + "".join(lines)


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
    parser.add_argument("--file", type=Path, default=ODD, help="the document to update (default: docs/ODD.md)")
    args = parser.parse_args(argv)
    if args.show:
        sys.stdout.write(scenario_table())
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
