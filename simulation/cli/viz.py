"""``leadsim viz [FILE [FILE_B]]``: watch strategies beside business as usual in the browser (Mesa's SolaraViz);
``leadsim viz --replay FOLDER``: scrub through a stored run."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ._shared import UsageError, add_set_option

if TYPE_CHECKING:
    from simulation.viz.controls import Sources

HELP = "watch strategies beside business as usual in the browser, or replay a results folder"
DESCRIPTION = """\
Start the browser app on this machine and print its address. It opens the scenario FILE (default:
scenarios/baseline.yaml) and runs its interventions (strategy A) beside business as usual - the same scenario
with no programme - on the same seed, so the paired difference month by month is the strategy's own. A second
FILE_B gives strategy B (its interventions, at the same budget; population, community and the rest come from
FILE). The page shows the difference from business as usual, the community result and sector levers, the
social network, collective initiatives, the individual, organization and network levels, money spent and people
reached; y-axes fit the data, or show the full 0-1 scale, or the change since month 0. The sidebar chooses each
strategy and its own parameters, the budget, complementarity, manager support, population, months and seed
(Reset applies exactly what it shows), and steps, plays and pauses. The table (CSV) and each chart (PNG) download
from the page.

--replay FOLDER opens a results folder written by leadsim run or leadsim compare instead and scrubs through its
stored months with the same charts, without rerunning anything. The app needs nothing from the internet.

examples:
  leadsim viz
  leadsim viz scenarios/interventions/individual_training.yaml --port 8800
  leadsim viz scenarios/interventions/hosting.yaml scenarios/interventions/mentoring.yaml
  leadsim viz scenarios/baseline.yaml --set population.people=500
  leadsim viz --replay results/baseline"""
INSTALL = "pip install 'leadsim[viz]' (from a checkout: pip install '.[viz]')"


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("viz", help=HELP, description=DESCRIPTION,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="*", metavar="FILE",
                        help="scenario file (default: scenarios/baseline.yaml), and optionally a second one whose "
                             "interventions are strategy B")
    parser.add_argument("--replay", metavar="FOLDER",
                        help="replay a results folder of leadsim run or leadsim compare (no FILE then)")
    parser.add_argument("--replication", type=int, default=0, metavar="R",
                        help="with --replay: which replication to show (default: 0)")
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
        import uvicorn  # noqa: F401  (the server; checked here so a missing package is this one message)

        from simulation.viz import app, server
    except ImportError as exc:
        raise UsageError(f"leadsim viz needs the browser-app packages ({exc.name or exc} is missing): "
                         f"{INSTALL}") from None
    if args.replay is not None:
        if args.files or args.overrides:
            raise UsageError("--replay shows a stored results folder: give no FILE and no --set with it")
        from simulation.viz.runs import ReplayError, load_replay
        try:
            app.configure(replay=(args.replay, load_replay(args.replay, args.replication)))
        except ReplayError as exc:
            raise UsageError(str(exc)) from None
    else:
        app.configure(sources(args, app), _reimport_path(args, app))
    try:
        server.serve(host=args.host, port=args.port)
    except server.PortError as exc:
        raise UsageError(str(exc)) from None
    except KeyboardInterrupt:
        pass
    print("leadsim viz: stopped", file=sys.stderr)
    return 0


def sources(args: argparse.Namespace, app) -> Sources:
    """The scenarios to open: FILE (a bad one is one clear message, exit 2, before anything starts) and FILE_B."""
    from simulation.core.scenario import Scenario
    from simulation.scenario_files import load_scenario, parse_overrides
    from simulation.viz.controls import Sources

    if len(args.files) > 2:
        raise UsageError(f"leadsim viz takes at most two scenario files (strategies A and B), got {len(args.files)}")
    overrides = parse_overrides(args.overrides)
    if args.files:
        path = args.files[0]
    elif app.BASELINE.is_file():
        path = str(app.BASELINE)
    elif overrides:
        raise UsageError("--set needs a FILE here: this installation has no scenarios/baseline.yaml")
    else:
        return Sources(Scenario(), "the default scenario")  # an installed package: no scenarios folder
    first = Sources(load_scenario(path, overrides).scenario, Path(path).name)
    if len(args.files) < 2:
        return first
    return Sources(first.base, first.file_a, load_scenario(args.files[1]).scenario, Path(args.files[1]).name)


def _reimport_path(args: argparse.Namespace, app) -> str | None:
    """The file a re-imported app module opens by itself (none when --set or a second file changed it)."""
    if args.overrides or len(args.files) > 1:
        return None
    return args.files[0] if args.files else (str(app.BASELINE) if app.BASELINE.is_file() else None)
