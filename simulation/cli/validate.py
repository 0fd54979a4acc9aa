"""``leadsim validate FILE...``: check scenario files without running them."""

from __future__ import annotations

import argparse
import sys

from simulation.problems import ScenarioFileError

from ._shared import add_set_option, say_always

HELP = "check scenario files without running them"
DESCRIPTION = """\
Check each scenario file as `leadsim run` would - YAML syntax, safe content, every field's name, type and range,
each intervention's type and parameters - without running anything. Prints one line per valid file (name, size,
horizon, interventions, content hash, memory estimate) and every problem of the others as FILE:LINE: FIELD:
message. Exit status 0 when all files are valid, 2 otherwise.

examples:
  leadsim validate scenarios/baseline.yaml
  leadsim validate scenarios/*.yaml scenarios/interventions/*.yaml
  leadsim validate my.yaml --set population.people=100000"""


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("validate", help=HELP, description=DESCRIPTION,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="+", metavar="FILE", help="scenario files (YAML)")
    add_set_option(parser)
    parser.set_defaults(func=execute_validate)


def execute_validate(args: argparse.Namespace) -> int:
    from simulation.memory import available_memory, preview_memory, safety_margin
    from simulation.scenario_files import load_scenario, parse_overrides

    overrides = parse_overrides(args.overrides)  # a malformed --set is reported once, not per file
    available, where = available_memory()
    failed = 0
    for name in args.files:
        try:
            source = load_scenario(name, overrides)
        except ScenarioFileError as exc:
            failed += 1
            for problem in exc.problems:
                print(f"leadsim: error: {problem}", file=sys.stderr)
            continue
        s = source.scenario
        memory, is_bound = preview_memory(s, available, _warm_kernels)
        warn = ""
        if available is not None and memory.total > available - safety_margin(available):
            warn = (f" - more than fits in the {available / 1e9:.1f} GB available here ({where}) with the safety "
                    f"margin of {safety_margin(available) / 1e9:.1f} GB; run needs --allow-large")
        ivs = ", ".join(f"{i.name} ({i.type})" if i.label else i.type for i in s.interventions) or "none"
        budget = "unbudgeted" if s.budget is None else f"budget {s.budget:,.0f}"
        reps = f"{s.replications} replication{'s' if s.replications != 1 else ''}"
        size = f"{'at most' if is_bound else 'about'} {memory.total / 1e6:,.0f} MB"
        print(f"ok  {name}: {s.name!r}, {s.population.people:,} people, {s.months} months, {reps}, {budget}, "
              f"interventions: {ivs}; hash {s.content_hash()}; memory {size}{warn}")
    return 2 if failed else 0


def _warm_kernels() -> None:
    """Before the measured memory estimate, which builds a small model: its kernels compile the first time."""
    from simulation.kernel_warmup import ensure_kernels

    ensure_kernels(say_always)
