"""What several commands share: run options, loading scenario files, the progress bar, number formatting."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd

from simulation.execution import Progress, RunRecord, run_scenarios
from simulation.memory import check_memory
from simulation.results import ResultsFolder, now, slug, write_results
from simulation.scenario_files import ScenarioSource, load_scenario, parse_overrides, seed_range_problem
from simulation.worker_pool import WorkerDied


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


def add_run_options(parser: argparse.ArgumentParser, default_out: str) -> None:
    parser.add_argument("--replications", "-r", type=positive_int, metavar="N",
                        help="replications (default: the scenario file's `replications`)")
    parser.add_argument("--seed", "-s", type=seed_int, metavar="S",
                        help="base seed; replication r uses seed S + r (default: the file's `seed`)")
    parser.add_argument("--out", "-o", metavar="DIR",
                        help=f"results folder, replaced if leadsim wrote it as this kind (default: {default_out})")
    parser.add_argument("--workers", "-w", type=positive_int, default=1, metavar="N",
                        help="processes running replications in parallel (default: 1; results are identical)")
    add_set_option(parser)
    parser.add_argument("--allow-large", action="store_true",
                        help="run even if the memory estimate exceeds the memory available")
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress bar and no summary")


def load_all(files: Sequence[str], override_items: Sequence[str]) -> list[ScenarioSource]:
    """Load every file; a problem in any of them stops everything before any work."""
    overrides = parse_overrides(override_items)
    return [load_scenario(f, overrides) for f in files]


@contextmanager
def progress_bar(total: int, label: str, quiet: bool) -> Iterator[Progress]:
    """A tqdm bar on stderr (shown on a terminal only), as an ``execution`` progress callback."""
    from tqdm import tqdm

    bar = tqdm(total=total, desc=label, unit="run", file=sys.stderr, disable=True if quiet else None,
               dynamic_ncols=True, leave=False)

    def update(done: int, total: int, record: RunRecord) -> None:
        bar.set_postfix_str(f"last {record.seconds:.1f}s")
        bar.update(1)

    try:
        yield update
    finally:
        bar.close()


def execute(sources: list[ScenarioSource], args: argparse.Namespace, command: str,
            out: str) -> tuple[list[pd.DataFrame], Path, dict[str, Any]]:
    """Check memory and the output folder, run on common seeds, write the results folder atomically."""
    first = sources[0].scenario
    reps = args.replications if args.replications is not None else first.replications
    seed = args.seed if args.seed is not None else first.seed
    too_far = seed_range_problem(seed, reps)
    if too_far:
        given = [f"--seed {seed}" if args.seed is not None else f"seed {seed} ({sources[0].path})",
                 f"--replications {reps}" if args.replications is not None else f"replications {reps} "
                                                                              f"({sources[0].path})"]
        raise UsageError(f"{' with '.join(given)}: {too_far}")
    for source in sources:
        check_memory(source, reps, args.workers, args.allow_large)
    folder = ResultsFolder(out, "compare" if command == "compare" else "run")
    folder.check()
    run: dict[str, Any] = {"command": command, "argv": args.argv, "replications": reps, "seed": seed,
                           "workers": args.workers}
    label = first.name if len(sources) == 1 else f"{len(sources)} scenarios"
    with folder as partial:
        run["started"] = now()
        clock = time.perf_counter()
        with progress_bar(reps * len(sources), label, args.quiet) as progress:
            try:
                tables, records = run_scenarios([s.scenario for s in sources], reps, seed, args.workers, progress)
            except WorkerDied as exc:  # the results folder in progress is removed on the way out
                raise UsageError(f"{exc}; no results were written. Run the same command again, with fewer --workers "
                                 "or people if memory ran short (leadsim validate FILE shows the estimate)") from None
        run["duration_seconds"] = round(time.perf_counter() - clock, 3)
        run["finished"] = now()
        comparison = None
        if command == "compare":
            from simulation.compare import paired_comparison

            comparison = paired_comparison(pd.concat(tables, ignore_index=True))
            run["comparison"] = comparison
        write_results(partial, pd.concat(tables, ignore_index=True), records, sources,
                      {k: v for k, v in run.items() if k != "comparison"}, comparison)
    return tables, folder.final, run


def default_out(names: Sequence[str]) -> str:
    return str(Path("results") / (slug(names[0]) if len(names) == 1 else slug("compare_" + "_vs_".join(names))))


def files_written(folder: Path) -> str:
    names = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    return ", ".join(names)


def fmt(value: float, digits: int = 3) -> str:
    if pd.isna(value):
        return "n/a"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.{digits}f}"


def seeds_text(seed: int, reps: int) -> str:
    return f"seed {seed}" if reps == 1 else f"seeds {seed}-{seed + reps - 1}"
