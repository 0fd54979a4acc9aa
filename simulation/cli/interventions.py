"""``leadsim interventions``: the registered interventions, their parameters, defaults and help text."""

from __future__ import annotations

import argparse
import difflib
import json
import textwrap
from typing import Any

from ._shared import UsageError

HELP = "list the interventions a scenario can use, with their parameters"
DESCRIPTION = """\
List every registered intervention (simulation.REGISTRY) with its summary, source, and each parameter it takes
under `params:` in a scenario file: default, allowed values and help text. The schedule, selection and cost
parameters are shared by all interventions; their defaults differ between them.

examples:
  leadsim interventions
  leadsim interventions individual_training
  leadsim interventions --json > interventions.json

In a scenario file:
  budget: 600000
  interventions:
    - type: individual_training
      params: {selection: position, every_months: 12}"""


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("interventions", help=HELP, description=DESCRIPTION,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("names", nargs="*", metavar="NAME", help="only these interventions (default: all)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    parser.set_defaults(func=execute_interventions)


def catalogue(names: list[str] | None = None) -> list[dict[str, Any]]:
    """Every intervention (or the named ones) with its parameters, as plain data."""
    from simulation.core.interventions import REGISTRY, SELECTIONS
    from simulation.scenario_files import describe

    unknown = [n for n in names or [] if n not in REGISTRY]
    if unknown:
        close = difflib.get_close_matches(unknown[0], REGISTRY, n=1, cutoff=0.5)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise UsageError(f"unknown intervention {unknown[0]!r}.{hint} Registered: {', '.join(sorted(REGISTRY))}")
    out = []
    for name in names or sorted(REGISTRY):
        cls = REGISTRY[name]
        params = []
        for field, info in cls.Params.model_fields.items():
            default = info.get_default(call_default_factory=True)
            allowed = f"one of {', '.join(SELECTIONS)}" if field == "selection" else describe(info)
            params.append({"name": field, "default": default, "allowed": allowed,
                           "help": info.description or ""})
        out.append({"name": name, "summary": cls.summary, "source": cls.source, "params": params})
    return out


def execute_interventions(args: argparse.Namespace) -> int:
    entries = catalogue(args.names)
    if args.json:
        print(json.dumps(entries, indent=2, default=str))
        return 0
    for entry in entries:
        print(entry["name"])
        print(textwrap.fill(entry["summary"], 110, initial_indent="  ", subsequent_indent="  "))
        if entry["source"]:
            print(textwrap.fill(f"source: {entry['source']}", 110, initial_indent="  ", subsequent_indent="    "))
        print("  params:")
        for p in entry["params"]:
            default = "none" if p["default"] is None else p["default"]
            print(f"    {p['name']:<24} default {str(default):<12} allowed: {p['allowed']}")
            if p["help"]:
                print(textwrap.fill(p["help"], 110, initial_indent=" " * 29, subsequent_indent=" " * 29))
        print()
    return 0
