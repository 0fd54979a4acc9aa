"""``leadsim sweep STUDY``: run a study (resumable) on local processes or a Dask cluster, then analyse it."""

from __future__ import annotations

import argparse
import os
import re
import sys
import time

from ._shared import UsageError, add_posterior_option, interrupted, positive_int, say, say_always

HELP = "run a study (sweep, sensitivity analysis, scaling) locally or on a Dask cluster; resumable"
DESCRIPTION = """\
Run every run of a study file (experiments/*.yaml): its levers on common random numbers, at every point of its
design (full factorial, Latin hypercube, Sobol or Morris), with its replications. Finished runs stream into
Parquet shards in the study folder as they finish; running the same command again skips every run already there,
so a sweep stopped at any moment - Ctrl-C, a lost node, even SIGKILL - continues where it stopped and ends with
exactly one result per run. A failed run is recorded with its error (failures/KEY.json) and retried; if it keeps
failing the sweep says so and exits with status 1, and the next sweep tries it again.

When every run is done the sweep writes outputs.csv (one row per run), outputs_mean.csv (per point and lever),
and as the study asks, sensitivity.csv with figures/sensitivity_LEVER.png (Morris mu*/sigma, Sobol S1/ST, RBD-FAST S1;
with intervals and a warning when they are too wide, saying how many samples would do), figures/main_effects.png
for a factorial study, and scaling.csv with figures/scaling.png (returns-to-scale exponents with intervals) and
figures/scaling_cost.png.

Where runs execute: by default on --workers local processes. --scheduler tcp://HOST:PORT uses a running Dask
cluster (see experiments/cluster/ for SLURM, PBS and by-hand set-ups), --scheduler-file FILE one that wrote a
scheduler file, --scheduler local a Dask LocalCluster of --workers processes on 127.0.0.1. The numbers are the
same everywhere.

examples:
  leadsim sweep experiments/morris.yaml --workers 2
  leadsim sweep experiments/scaling.yaml --scheduler tcp://10.0.0.5:8786
  leadsim sweep experiments/sobol.yaml --scheduler-file ~/dask-scheduler.json --out /scratch/me/sobol
  leadsim sweep experiments/where.yaml --dry-run
  leadsim sweep experiments/sobol.yaml --part 3/16 --workers 8 --no-analysis   # a job array's 3rd task of 16

Shares (--part I/N): the I-th of N disjoint shares of the study's runs, about equal in work, written into the same
study folder beside the other shares - each share may run anywhere, at the same time (experiments/cluster/
slurm_array.sh). A share never analyses: when every share has finished, `leadsim sweep STUDY` (which runs anything
left, e.g. of a share that failed) or `leadsim sensitivity STUDY` writes the analysis."""

ADDRESS = re.compile(r"^(local|[a-z][a-z0-9+]*://\S+)$")
PRINT_EVERY = 30.0  # seconds between progress lines when stderr is not a terminal (batch jobs, logs)


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("sweep", help=HELP, description=DESCRIPTION,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("study", metavar="STUDY", help="study file (YAML), e.g. experiments/morris.yaml")
    parser.add_argument("--out", "-o", metavar="DIR", help="study folder (default: results/studies/<study name>); "
                                                           "reuse it to resume")
    parser.add_argument("--workers", "-w", type=positive_int, metavar="N",
                        help=f"local worker processes (default: all {os.cpu_count()} cores); with --scheduler "
                             "local, the LocalCluster's processes")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--scheduler", metavar="ADDRESS",
                       help="a Dask scheduler, e.g. tcp://HOST:8786, or `local` for a LocalCluster on 127.0.0.1")
    where.add_argument("--scheduler-file", metavar="FILE", help="a Dask scheduler file (dask scheduler "
                                                                "--scheduler-file FILE; dask-jobqueue)")
    parser.add_argument("--retries", type=int, metavar="N", help="extra attempts per failed run in this sweep "
                                                                 "(default: the study's `retries`, 2)")
    parser.add_argument("--no-worker-timeout", type=float, default=600.0, metavar="SECONDS",
                        help="Dask: stop if the cluster has had no worker this long (default: 600)")
    parser.add_argument("--part", metavar="I/N", help="run only the I-th of N disjoint shares of the runs (1 <= I "
                                                      "<= N; a job array's task), beside the other shares")
    parser.add_argument("--no-analysis", action="store_true", help="run only; analyse later with `leadsim "
                                                                   "sensitivity STUDY`")
    parser.add_argument("--dry-run", action="store_true", help="validate and plan: print how many runs there are "
                                                               "and how many are done; write nothing")
    parser.add_argument("--allow-large", action="store_true",
                        help="run even if the memory estimate exceeds the memory available")
    add_posterior_option(parser, study=True)
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress bar and no summary")
    parser.set_defaults(func=execute_sweep)


def execute_sweep(args: argparse.Namespace) -> int:
    if not (args.quiet or args.dry_run):  # loading the study machinery takes seconds: say so from the start
        say(f"reading {args.study} and planning its runs")
    from simulation.studies import build_plan, load_study

    if args.scheduler is not None and not ADDRESS.match(args.scheduler):
        raise UsageError(f"--scheduler {args.scheduler}: not a scheduler address. Allowed: tcp://HOST:PORT (or "
                         "another Dask protocol such as tls://), or `local`")
    if args.retries is not None and args.retries < 0:
        raise UsageError(f"--retries {args.retries}: give 0 or more")
    if args.no_worker_timeout <= 0:
        raise UsageError(f"--no-worker-timeout {args.no_worker_timeout:g}: give a positive number of seconds")
    part = parse_part(args.part) if args.part is not None else None
    study = load_study(args.study, args.posterior)
    plan = build_plan(study)
    if args.dry_run:
        print(dry_run(study, plan, args.out, part))
        return 0
    return _sweep(study, plan, args, part)


PART = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


def parse_part(text: str) -> tuple[int, int]:
    """``--part I/N`` -> (I, N), or a UsageError saying what is allowed."""
    match = PART.match(text)
    i, n = (int(match.group(1)), int(match.group(2))) if match else (0, 0)
    if not match or n < 1 or not 1 <= i <= n:
        raise UsageError(f"--part {text}: not a share. Allowed: I/N with whole numbers 1 <= I <= N, e.g. --part "
                         "3/16 (in a SLURM job array: --part $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT with "
                         "--array=1-N)")
    return i, n


def dry_run(study, plan, out: str | None, part: tuple[int, int] | None = None) -> str:
    from simulation.studies import StudyStore, default_folder

    folder = out or default_folder(study)
    store = StudyStore(folder)
    store.check(study.name)
    unique = set(plan.runs["key"]) if part is None else set(plan.share(*part))
    done = len(unique & set(store.done_runs(plan.needs))) if store.folder.is_dir() else 0
    share = "" if part is None else f"share {part[0]}/{part[1]}: "
    return (f"{plan_text(study, plan)}\n{share}{done:,} of {len(unique):,} runs already done in {folder}; "
            f"{len(unique) - done:,} to run")


def plan_text(study, plan) -> str:
    spec, design = study.spec, plan.design
    parts = []
    if design.factor_paths:
        parts.append(f"{len(design.grid):,} factor combinations")
    if design.problem is not None:
        parts.append(f"{design.n_samples:,} {spec.design.method} samples of {len(design.names)} uncertainties")
    parts += [f"{len(plan.levers)} levers", f"{spec.replications} replications"]
    unique = plan.runs["key"].nunique()
    shared = f" ({unique:,} distinct)" if unique != len(plan.runs) else ""
    drawn = "" if study.posterior is None else (f"; each run draws its parameters from the posterior "
                                                f"{study.posterior.folder} (hash {study.posterior.hash})")
    return f"study {study.name}: {len(plan.runs):,} runs{shared} = {' x '.join(parts)}{drawn}"


def _sweep(study, plan, args: argparse.Namespace, part: tuple[int, int] | None = None) -> int:
    from simulation.studies import ExecutorError, SchedulerLost, sweep

    workers = args.workers or os.cpu_count() or 1
    reporter = Reporter(study.name, quiet=args.quiet)
    if not args.quiet:  # the first result can be many seconds away (workers start, runs are long): say what runs
        say(f"sweep {study.name}: {plan_text(study, plan)}; starting")
    if args.scheduler in (None, "local") and args.scheduler_file is None:
        from simulation.kernel_warmup import ensure_kernels  # compile once here, not in every worker at once

        ensure_kernels(None if args.quiet else say_always)
    try:
        report = sweep(study, args.out, workers=workers, scheduler=args.scheduler,
                       scheduler_file=args.scheduler_file, progress=reporter, retries=args.retries,
                       analyse=not args.no_analysis, allow_large=args.allow_large, argv=args.argv,
                       dask_options={"no_worker_timeout": args.no_worker_timeout}, part=part)
    except SchedulerLost as exc:
        reporter.close()
        raise UsageError(scheduler_lost(exc, study, plan, args.out)) from None
    except ExecutorError as exc:
        reporter.close()
        raise UsageError(str(exc)) from None
    except (KeyboardInterrupt, SystemError) as exc:
        if not interrupted(exc):
            raise
        reporter.close()
        folder = args.out or f"results/studies/{study.name}"
        print(f"leadsim: interrupted; finished runs are kept in {folder}/ - run the same command to continue",
              file=sys.stderr)
        return 130
    finally:
        reporter.close()
    if not args.quiet:
        print(summary(study, report, part))
    for note in report.warnings:
        print(f"leadsim: warning: {note}", file=sys.stderr)
    if report.failed:
        shown = list(report.failed.items())[:10]
        for key, error in shown:
            print(f"leadsim: run {key} failed: {error}", file=sys.stderr)
        first = f" (the first {len(shown)} are shown above)" if len(report.failed) > len(shown) else ""
        print(f"leadsim: error: {len(report.failed)} run(s) failed after retries{first}; the errors of every "
              f"attempt are in {report.folder}/failures/. Run the same command to retry them.", file=sys.stderr)
        return 1
    return 0


def scheduler_lost(exc, study, plan, out: str | None) -> str:
    """How far a sweep got before its Dask scheduler went away (counted in the folder), and how to resume."""
    from simulation.studies import StudyStore, default_folder

    folder = out or default_folder(study)
    unique = set(plan.runs["key"])
    done = len(unique & set(StudyStore(folder).done_runs(plan.needs)))
    return (f"the Dask scheduler at {exc.address} went away after {done:,} of {len(unique):,} runs; finished runs "
            f"are saved in {folder}/ - rerun the same command to resume")


def summary(study, report, part: tuple[int, int] | None = None) -> str:
    share = "" if part is None else f" share {part[0]}/{part[1]}"
    lines = [f"study {study.name}{share}: {report.unique:,} runs; {report.skipped:,} already done, {report.ran:,} run "
             f"now in {report.seconds:.1f} s"
             + (f" ({report.runs_per_minute:,.0f} runs/min)" if report.ran else "") + f" on {report.executor}"]
    if part is not None:
        lines.append(f"when every share has finished: leadsim sweep {study.path} --out {report.folder}  (runs "
                     f"anything left and analyses; or leadsim sensitivity to analyse only)")
    elif report.files:
        lines.append(f"results: {report.folder}/  ({', '.join(report.files)})")
    elif report.status == "complete":
        lines.append(f"results: {report.folder}/  (analysis skipped: leadsim sensitivity {study.path} --out "
                     f"{report.folder})")
    return "\n".join(lines)


class Reporter:
    """Progress: a tqdm bar with rate and time left on a terminal; a line every 30 s otherwise (batch logs)."""

    def __init__(self, name: str, quiet: bool = False) -> None:
        self.name = name
        self.quiet = quiet
        self.bar = None
        self.last_line = time.monotonic()

    def __call__(self, p) -> None:
        if self.quiet:
            return
        if sys.stderr.isatty():
            self._bar(p)
        elif time.monotonic() - self.last_line >= PRINT_EVERY or p.done == p.total:
            self.last_line = time.monotonic()
            print(f"leadsim sweep {self.name}: {line(p)}", file=sys.stderr, flush=True)
        if p.done == p.total:  # what follows (tables, analysis, figures) takes seconds too
            self.close()
            say(f"{self.name}: all {p.total:,} runs done; writing the study's tables (and analysis)")

    def _bar(self, p) -> None:
        from tqdm import tqdm

        if self.bar is None:
            # tqdm's own estimate assumes equal runs; ours weights them by person-months (sizes differ 100x)
            self.bar = tqdm(total=p.total, initial=p.done - 1 if p.ran else p.done, desc=self.name, unit="run",
                            file=sys.stderr, dynamic_ncols=True, leave=False,
                            bar_format="{l_bar}{bar}| {n_fmt}/{total_fmt} runs [{elapsed}{postfix}]")
        left = p.seconds_left
        eta = "" if left != left else f"about {_minutes(left / 60)} left"
        self.bar.set_postfix_str(", ".join(s for s in (eta, f"{p.failed} failed" if p.failed else "") if s))
        self.bar.update(p.done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def line(p) -> str:
    """``120/2,000 runs (6%), 45 runs/min, about 42 min left, 0 failed`` (time left weighted by run size)."""
    rate = p.ran / p.elapsed * 60 if p.elapsed > 0 and p.ran else 0.0
    left = p.seconds_left / 60
    eta = "" if left != left else f", about {_minutes(left)} left"
    return (f"{p.done:,}/{p.total:,} runs ({p.done / max(p.total, 1):.0%}), {rate:,.0f} runs/min{eta}, "
            f"{p.failed} failed")


def _minutes(minutes: float) -> str:
    if minutes < 1:
        return f"{minutes * 60:.0f} s"
    if minutes < 120:
        return f"{minutes:.0f} min"
    return f"{minutes / 60:.1f} h"
