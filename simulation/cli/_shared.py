"""What several commands share and can afford at start-up: errors, option types, the run options, formatting.

Nothing here imports the model, pandas or numba (``leadsim --help`` builds every command's parser from this
module); what runs scenarios is in :mod:`._running`, imported by a command when it runs; numbers are written by
:mod:`simulation.summaries`."""

from __future__ import annotations

import argparse
import sys


class UsageError(Exception):
    """A command-line option that cannot work (exit status 2)."""


def interrupted(exc: BaseException | None) -> bool:
    """Whether ``exc`` is an interrupt (Ctrl-C, or SIGTERM turned into one), also when compiled code wrapped it:
    a signal that arrives while a numba kernel is running a Python callback comes back as a ``SystemError``
    caused by the ``KeyboardInterrupt``."""
    while exc is not None:
        if isinstance(exc, KeyboardInterrupt):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def interactive() -> bool:
    """Whether stderr is a terminal: progress (the bar, the lines of :func:`say`) is shown there only, so that a
    batch log or a failing command's output stays one ``leadsim: error:`` line."""
    return sys.stderr.isatty()


def say(message: str, always: bool = False) -> None:
    """One progress line on stderr, on a terminal (or ``always``: the kernels' first compile, which a batch log
    should explain too); results and summaries go to stdout."""
    if always or interactive():
        print(f"leadsim: {message}", file=sys.stderr, flush=True)


def say_always(message: str) -> None:
    say(message, always=True)


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not allowed: give 1 or more")
    return value


def seed_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 0 <= value < 2**63:
        raise argparse.ArgumentTypeError(f"{value} is not allowed: a seed is from 0 to 2**63 - 1")
    return value


def add_set_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="PATH=VALUE",
                        help="change one scenario value before validation, by its dotted path (repeatable), e.g. "
                             "--set population.people=500 --set interventions.0.params.participants=20")


def add_posterior_option(parser: argparse.ArgumentParser, study: bool = False) -> None:
    where = " (instead of the study file's `posterior`)" if study else ""
    parser.add_argument("--posterior", metavar="FOLDER",
                        help=f"a posterior folder (leadsim calibrate writes one){where}: each replication runs the "
                             "parameter set its seed draws from it, the same in every scenario (docs/posterior.md)")


def add_run_options(parser: argparse.ArgumentParser, default_out: str) -> None:
    parser.add_argument("--replications", "-r", type=positive_int, metavar="N",
                        help="replications (default: the scenario file's `replications`)")
    parser.add_argument("--seed", "-s", type=seed_int, metavar="S",
                        help="base seed; replication r uses seed S + r (default: the file's `seed`)")
    parser.add_argument("--out", "-o", metavar="DIR",
                        help=f"results folder (default: {default_out}); if it holds earlier results, they are kept "
                             "and these go to a new DIR-2 (DIR-3, ...) unless --overwrite")
    parser.add_argument("--overwrite", action="store_true",
                        help="replace the earlier results in DIR (only a folder leadsim wrote as this kind)")
    parser.add_argument("--workers", "-w", type=positive_int, default=1, metavar="N",
                        help="processes running replications in parallel (default: 1; results are identical)")
    add_set_option(parser)
    add_posterior_option(parser)
    parser.add_argument("--allow-large", action="store_true",
                        help="run even if the memory estimate exceeds the memory available")
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress bar and no summary")


def seeds_text(seed: int, reps: int) -> str:
    return f"seed {seed}" if reps == 1 else f"seeds {seed}-{seed + reps - 1}"


def posterior_lines(run: dict) -> list[str]:
    """``  posterior: FOLDER (hash H, N rows): each replication drew one of them for PATH, PATH`` - or nothing."""
    used = run.get("posterior")
    if not used:
        return []
    return [f"  posterior: {used['folder']} (hash {used['hash']}, {used['rows']:,} rows): each replication ran the "
            f"row its seed drew (summary.csv: posterior_row) for {', '.join(used['parameters'])}"]
