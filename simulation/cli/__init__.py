"""The ``leadsim`` command line: one module per command, registered from :data:`COMMANDS`.

A command is a module in this package with ``add_parser(subparsers)``, which adds its sub-parser and sets
``func`` (``args -> exit status``) as a default. To add a command, write ``simulation/cli/NAME.py`` and add
``"NAME"`` to :data:`COMMANDS` - nothing else changes.

Start-up: building the parser imports every command module, so a command module imports at its top only what
its options need (argparse, :mod:`._shared`); what it runs it imports in its ``func``. ``leadsim --help`` then
loads neither the model nor pandas (``tests/test_cli_startup.py`` checks it).

Exit status: 0 success; 2 bad input (a scenario file, an option, an output folder - one message naming the file,
the field and what is allowed, and nothing written); 130 interrupted (nothing written).
"""

from __future__ import annotations

import argparse
import importlib
import os
import signal
import sys
from collections.abc import Sequence

COMMANDS = [
    "run",
    "validate",
    "compare",
    "interventions",
    "schema",
    "sweep",
    "sensitivity",
    "calibrate",
    "viz",
]
"""Command modules, in the order ``leadsim --help`` lists them."""

DESCRIPTION = """\
leadsim: an agent-based simulation comparing leader development (training individuals) with leadership
development (strengthening the collective process in networks and communities), and how each scales to
community results for a given budget.

examples:
  leadsim run scenarios/baseline.yaml
  leadsim compare scenarios/baseline.yaml scenarios/leader_vs_leadership/leader.yaml --replications 10
  leadsim validate scenarios/*.yaml
  leadsim interventions
  leadsim schema > scenario.schema.json

Run `leadsim COMMAND --help` for a command's options and an example."""


def build_parser() -> argparse.ArgumentParser:
    from simulation import __version__

    parser = argparse.ArgumentParser(prog="leadsim", description=DESCRIPTION,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"leadsim {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMANDS:
        importlib.import_module(f"{__name__}.{name}").add_parser(subparsers)
    return parser


def _terminate(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # so that a results folder in progress is removed, as on Ctrl-C


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``leadsim`` console script; returns the exit status."""
    from simulation.problems import OutputError, ScenarioFileError

    from ._shared import UsageError, interrupted

    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a usage error argparse has already explained
        return exc.code if isinstance(exc.code, int) else 2
    args.argv = list(sys.argv[1:] if argv is None else argv)  # recorded in manifests
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        return int(args.func(args) or 0)
    except ScenarioFileError as exc:
        for problem in exc.problems:
            print(f"leadsim: error: {problem}", file=sys.stderr)
        return 2
    except (OutputError, UsageError) as exc:
        print(f"leadsim: error: {exc}", file=sys.stderr)
        return 2
    except (KeyboardInterrupt, SystemError) as exc:
        if not interrupted(exc):
            raise
        print("leadsim: interrupted; no results were written", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `leadsim schema | head`: the reader left; not an error worth a message
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)
        _prune_caches()


def _prune_caches() -> None:
    """Remove numba's cache folders of old source versions - when this command used the model (a command that
    never imported the core, such as ``--help`` or ``schema``, neither pays for numba nor touches the cache)."""
    if "simulation.core.compiled" in sys.modules:
        sys.modules["simulation.core.compiled"].prune_caches()
