"""``leadsim calibrate FILE``: fit uncertain parameters to the evidence by ABC-SMC (pyabc); resumable."""

from __future__ import annotations

import argparse
import os
import re
import sys

from ._shared import UsageError, interrupted, positive_int, say_always

HELP = "fit parameters to the evidence targets by approximate Bayesian computation (ABC-SMC)"
DESCRIPTION = """\
Fit the parameters a calibration file names (dotted scenario paths with priors) to evidence targets (ids of
simulation/evidence.yaml, or of an evidence file of your own) by ABC-SMC on pyabc: each particle's parameters are
set on every scenario the targets' measurements run, on the file's seeds per particle, and a particle is as close
to the evidence as its measurements are to the targets' intervals. One line per generation (epsilon, acceptance
rate, particles, simulations, time); at the end, per parameter the posterior median and 90% interval and whether
the targets constrain it at all.

The folder (default: the file's `out`, or results/calibration/NAME) holds posterior.parquet (one column per
parameter, named by its dotted path, and `weight`), summary.csv, generations.csv, predictive.parquet, figures/ and
the history database. Killed at any moment, the same command resumes from the last finished generation: the
numbers are those of an uninterrupted run, on any number of workers or a Dask cluster. docs/calibration.md.

examples:
  leadsim calibrate experiments/calibration/default.yaml --workers 2
  leadsim calibrate my_community.yaml --scheduler tcp://10.0.0.5:8786 --out /scratch/me/calibration"""

ADDRESS = re.compile(r"^(local|[a-z][a-z0-9+]*://\S+)$")


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("calibrate", help=HELP, description=DESCRIPTION,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", metavar="FILE", help="calibration file (YAML), e.g. "
                                                     "experiments/calibration/default.yaml")
    parser.add_argument("--out", "-o", metavar="DIR", help="calibration folder (default: the file's `out`, or "
                                                           "results/calibration/NAME); reuse it to resume")
    parser.add_argument("--workers", "-w", type=positive_int, metavar="N",
                        help=f"local worker processes (default: all {os.cpu_count()} cores); with --scheduler "
                             "local, the LocalCluster's processes")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="a Dask scheduler, e.g. tcp://HOST:8786, or `local` for a LocalCluster on 127.0.0.1")
    parser.add_argument("--dry-run", action="store_true", help="validate the file and say what would run; write "
                                                               "nothing")
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress lines and no summary")
    parser.set_defaults(func=execute_calibrate)


def execute_calibrate(args: argparse.Namespace) -> int:
    if args.scheduler is not None and not ADDRESS.match(args.scheduler):
        raise UsageError(f"--scheduler {args.scheduler}: not a scheduler address. Allowed: tcp://HOST:PORT (or "
                         "another Dask protocol such as tls://), or `local`")
    from simulation.calibration.spec import load_calibration

    cal = load_calibration(args.file)
    out = args.out or str(cal.out)
    if args.dry_run:
        s = cal.spec
        print(f"{cal.path}: valid - {len(s.parameters)} parameters, {len(cal.targets)} targets, {s.population} "
              f"particles x {s.seeds} seeds, at most {s.generations} generations; results in {out}")
        return 0
    return _calibrate(cal, out, args)


def _calibrate(cal, out: str, args: argparse.Namespace) -> int:
    from pathlib import Path

    from simulation.calibration.calibrate import calibrate
    from simulation.calibration.output import summary_lines
    from simulation.studies.executors import ExecutorError

    echo = (lambda _line: None) if args.quiet else say_always
    workers = args.workers or os.cpu_count() or 1
    try:
        outcome = calibrate(cal, Path(out), workers, args.scheduler, echo, args.argv)
    except ExecutorError as exc:
        raise UsageError(f"{exc}; the finished generations are kept in {out}: rerun the same command to "
                         "resume") from None
    except (KeyboardInterrupt, SystemError) as exc:
        if not interrupted(exc):
            raise
        # not main's "no results were written": the finished generations are in the history, and they resume
        print(f"leadsim: interrupted; the finished generations are kept in {out}: rerun the same command to "
              "resume", file=sys.stderr)
        return 130
    if not args.quiet:
        gens = outcome.generations
        last = gens.iloc[-1]
        print(f"{cal.name}: {len(gens)} generations, {int(gens['simulations'].sum())} simulations, final epsilon "
              f"{last['epsilon']:.4g}, acceptance {last['acceptance']:.2f}; {outcome.stopped}")
        for line in summary_lines(outcome.summary, outcome.posterior["weight"].to_numpy()):
            print(line)
        print(f"results in {outcome.folder}")
    return 0
