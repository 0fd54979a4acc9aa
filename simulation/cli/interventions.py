"""``leadsim interventions``: the registered interventions, their parameters, defaults and help text."""

from __future__ import annotations

import argparse
import difflib
import json
import textwrap
from typing import Any

from ._shared import UsageError

HELP = "list the interventions a scenario can use; NAME for one's parameters"
DESCRIPTION = """\
Without a name: one line per registered intervention (simulation.REGISTRY) and the parameters every
intervention shares. With names: each one's summary, source, and every parameter it takes under `params:` in a
scenario file, with its default, allowed values and help text. The schedule, selection and cost parameters are
shared by all interventions; their defaults differ between them.

examples:
  leadsim interventions
  leadsim interventions individual_training
  leadsim interventions --json > interventions.json

In a scenario file:
  budget: 600000
  interventions:
    - type: individual_training
      params: {selection: position, every_months: 12}"""
WIDTH = 110


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("interventions", help=HELP, description=DESCRIPTION,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("names", nargs="*", metavar="NAME", help="show these interventions in full (default: a "
                                                                "one-line list of all)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text (every intervention in "
                                                            "full when no NAME is given)")
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
        params = []  # from the registry: the strategy's module (Mesa, the kernels) stays unloaded
        for field, info in REGISTRY.params(name).model_fields.items():
            default = info.get_default(call_default_factory=True)
            allowed = f"one of {', '.join(SELECTIONS)}" if field == "selection" else describe(info)
            params.append({"name": field, "default": default, "allowed": allowed,
                           "help": info.description or ""})
        out.append({"name": name, "summary": REGISTRY.summary(name), "source": REGISTRY.source(name),
                    "params": params})
    return out


def execute_interventions(args: argparse.Namespace) -> int:
    if not args.names and not args.json:  # names and summaries only: no strategy module is imported
        from simulation.core.interventions import REGISTRY

        print(short_list([{"name": name, "summary": REGISTRY.summary(name)} for name in sorted(REGISTRY)]))
        return 0
    entries = catalogue(args.names)
    if args.json:
        print(json.dumps(entries, indent=2, default=str))
    else:
        print("\n\n".join(detail(entry) for entry in entries))
    return 0


def short_list(entries: list[dict[str, Any]]) -> str:
    """One line per intervention, then the parameters they all share and where to read more."""
    from simulation.core.interventions import InterventionParams

    width = max(len(e["name"]) for e in entries) + 2
    lines = [f"{len(entries)} interventions (use one as `- type: NAME` under `interventions:` in a scenario file):"]
    for entry in entries:
        lines += textwrap.wrap(entry["summary"], WIDTH, initial_indent=f"  {entry['name']:<{width}}",
                               subsequent_indent=" " * (width + 2))
    shared = ", ".join(InterventionParams.model_fields)
    lines += ["", *textwrap.wrap(f"Every intervention takes {shared} (defaults differ); each adds its own.", WIDTH),
              "`leadsim interventions NAME` shows one intervention's parameters, defaults, allowed values and help."]
    return "\n".join(lines)


def detail(entry: dict[str, Any]) -> str:
    """One intervention: summary, source, and every parameter with default, allowed values and help."""
    lines = [entry["name"], *textwrap.wrap(entry["summary"], WIDTH, initial_indent="  ", subsequent_indent="  ")]
    if entry["source"]:
        lines += textwrap.wrap(f"source: {entry['source']}", WIDTH, initial_indent="  ", subsequent_indent="    ")
    lines.append("  params:")
    for p in entry["params"]:
        default = "none" if p["default"] is None else p["default"]
        lines.append(f"    {p['name']:<24} default {str(default):<12} allowed: {p['allowed']}")
        if p["help"]:
            lines += textwrap.wrap(p["help"], WIDTH, initial_indent=" " * 29, subsequent_indent=" " * 29)
    return "\n".join(lines)
