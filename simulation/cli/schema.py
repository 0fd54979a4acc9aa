"""``leadsim schema``: the JSON Schema of scenario files, for editors and other tools."""

from __future__ import annotations

import argparse
import copy
import json
from typing import Any

HELP = "print the JSON Schema of scenario files (for editors), or --table: every field as a table"
DESCRIPTION = """\
Print the JSON Schema (draft 2020-12) of the scenario format: every field with its type, range, default,
description, unit and source. Each registered intervention is one alternative of `interventions` (oneOf,
told apart by `type`), with its own `params`, so an editor completes and checks intervention parameters too.
With --table, print instead the readable reference, docs/parameters.md: one Markdown table row per field (dotted
path, default, range, unit, source(s), description), for the scenario and for each intervention.

examples:
  leadsim schema --table | less
  leadsim schema > scenario.schema.json
  # VS Code (YAML extension) or any yaml-language-server editor: first line of a scenario file
  # yaml-language-server: $schema=../scenario.schema.json"""

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("schema", help=HELP, description=DESCRIPTION,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--indent", type=int, default=2, metavar="N", help="indentation (default: 2)")
    parser.add_argument("--table", action="store_true",
                        help="print every field as a Markdown table instead - path, default, range, unit, source(s), "
                             "description - as in docs/parameters.md")
    parser.set_defaults(func=execute_schema)


def scenario_schema() -> dict[str, Any]:
    """The scenario schema with ``interventions`` items as one alternative per registered intervention."""
    from simulation.core.interventions import REGISTRY, SELECTIONS
    from simulation.core.scenario import InterventionSpec, Scenario

    schema = Scenario.model_json_schema()
    schema["$schema"] = DIALECT
    schema["title"] = "leadsim scenario"
    defs = schema.setdefault("$defs", {})
    spec = copy.deepcopy(InterventionSpec.model_json_schema())
    alternatives = []
    for name in sorted(REGISTRY):
        params = REGISTRY.params(name).model_json_schema(ref_template=f"#/$defs/{name}.{{model}}")
        if "selection" in params.get("properties", {}):  # checked in code, not by a type: tell editors too
            params["properties"]["selection"]["enum"] = list(SELECTIONS)
        for key, value in params.pop("$defs", {}).items():
            defs[f"{name}.{key}"] = value
        defs[f"params.{name}"] = params
        summary, source = REGISTRY.summary(name), REGISTRY.source(name)
        alternatives.append({
            "type": "object",
            "title": name,
            "description": f"{summary} (source: {source})" if source else summary,
            "properties": {
                "type": {"const": name, "description": spec["properties"]["type"]["description"]},
                "label": spec["properties"]["label"],
                "budget_share": spec["properties"]["budget_share"],
                "params": {"$ref": f"#/$defs/params.{name}"},
            },
            "required": ["type"],
            "additionalProperties": False,
        })
    schema["properties"]["interventions"]["items"] = {"oneOf": alternatives}
    defs.pop("InterventionSpec", None)
    return schema


def execute_schema(args: argparse.Namespace) -> int:
    if args.table:
        from simulation.parameters import markdown

        print(markdown(), end="")
        return 0
    print(json.dumps(scenario_schema(), indent=args.indent))
    return 0
