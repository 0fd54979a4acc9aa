"""``leadsim viz [FILE]``: watch a scenario unfold in the browser (Mesa's SolaraViz) and change it."""

from __future__ import annotations

import argparse
import sys

from ._shared import UsageError, add_set_option

HELP = "watch a scenario unfold in the browser and change it (Mesa's SolaraViz)"
DESCRIPTION = """\
Start the browser app on this machine and print its address. It opens the scenario FILE (default:
scenarios/baseline.yaml) and shows the social network (coloured by engagement or sector; organizations instead
of people for large populations), the community result and sector levers, the individual, organization and
network levels, collective initiatives, and money spent and people reached, month by month. The sidebar chooses
the intervention(s), budget, complementarity, manager support, population size, months and seed (press Reset to
apply), and steps, plays and pauses the model. The app needs nothing from the internet.

examples:
  leadsim viz
  leadsim viz scenarios/interventions/individual_training.yaml --port 8800
  leadsim viz scenarios/baseline.yaml --set population.people=500"""


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("viz", help=HELP, description=DESCRIPTION,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", nargs="?", metavar="FILE", help="scenario file (default: scenarios/baseline.yaml)")
    parser.add_argument("--port", "-p", type=_port, default=8765, metavar="P",
                        help="port to listen on (default: 8765; 0 picks a free one)")
    parser.add_argument("--host", default="127.0.0.1", metavar="ADDRESS",
                        help="address to listen on (default: 127.0.0.1, this machine only)")
    add_set_option(parser)
    parser.set_defaults(func=execute_viz)


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{value} is not allowed: a port is from 0 to 65535")
    return value


def execute_viz(args: argparse.Namespace) -> int:
    try:
        from simulation.viz import app, server
    except ImportError as exc:
        raise UsageError(f"leadsim viz needs the browser-app packages ({exc.name or exc} is missing): "
                         "pip install -e '.[dev]'") from None
    from simulation.scenario_files import load_scenario, parse_overrides

    overrides = parse_overrides(args.overrides)
    path = args.file if args.file is not None else str(app.BASELINE)
    source = load_scenario(path, overrides)  # a bad file is one clear message (exit 2) before anything starts
    app.configure(source.scenario, None if overrides else path)
    try:
        server.serve(host=args.host, port=args.port)
    except server.PortError as exc:
        raise UsageError(str(exc)) from None
    except KeyboardInterrupt:
        pass
    print("leadsim viz: stopped", file=sys.stderr)
    return 0
