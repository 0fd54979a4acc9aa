"""Running scenarios for ``run`` and ``compare``: load the files, check memory and the output folder, run on
common seeds with a progress bar, write the results folder. Imported when one of those commands runs."""

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
from simulation.kernel_warmup import ensure_kernels
from simulation.memory import check_memory
from simulation.posterior import Posterior, load_posterior
from simulation.results import ResultsFolder, now, slug, write_results
from simulation.scenario_files import ScenarioSource, load_scenario, parse_overrides, seed_range_problem
from simulation.worker_pool import WorkerDied

from ._shared import UsageError, say, say_always


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
    posterior = load_for(sources, args.posterior)
    for source in sources:
        check_memory(source, reps, args.workers, args.allow_large)
    folder = ResultsFolder(out, "compare" if command == "compare" else "run", overwrite=args.overwrite)
    folder.check()
    run: dict[str, Any] = {"command": command, "argv": args.argv, "replications": reps, "seed": seed,
                           "workers": args.workers, "posterior": posterior.record() if posterior else None}
    label = first.name if len(sources) == 1 else f"{len(sources)} scenarios"
    ensure_kernels(None if args.quiet else say_always)
    with folder as partial:
        run["started"] = now()
        clock = time.perf_counter()
        with progress_bar(reps * len(sources), label, args.quiet) as progress:
            try:
                tables, records = run_scenarios([s.scenario for s in sources], reps, seed, args.workers, progress,
                                                posterior)
            except WorkerDied as exc:  # the results folder in progress is removed on the way out
                raise UsageError(f"{exc}; no results were written. Run the same command again, with fewer --workers "
                                 "or people if memory ran short (leadsim validate FILE shows the estimate)") from None
        run["duration_seconds"] = round(time.perf_counter() - clock, 3)
        run["finished"] = now()
        if not args.quiet:
            runs = len(sources) * reps
            say(f"writing the results and figures ({runs} run{'s' if runs != 1 else ''})")
        comparison = None
        if command == "compare":
            from simulation.compare import paired_comparison

            comparison = paired_comparison(pd.concat(tables, ignore_index=True))
            run["comparison"] = comparison
        write_results(partial, pd.concat(tables, ignore_index=True), records, sources,
                      {k: v for k, v in run.items() if k != "comparison"}, comparison)
    run["where"] = where_text(folder)
    return tables, folder.final, run


def load_for(sources: list[ScenarioSource], folder: str | None) -> Posterior | None:
    """The posterior of ``--posterior FOLDER``, checked against the scenarios and their ``--set`` values (one
    ScenarioFileError naming the file and column otherwise), or None."""
    if folder is None:
        return None
    posterior = load_posterior(folder)
    posterior.check([s.scenario for s in sources], [path for s in sources for path in s.overrides])
    return posterior


def where_text(folder: ResultsFolder) -> str:
    """Which folder the results are in, and what happened to earlier results at the place asked for."""
    if folder.earlier is None:
        return f"results: {folder.final}/"
    if folder.replaced:
        return f"results: {folder.final}/  (replaced the earlier results there: --overwrite)"
    return (f"results: {folder.final}/  (a new folder: {folder.earlier}/ holds earlier results and is kept; "
            "--overwrite replaces them)")


def default_out(names: Sequence[str]) -> str:
    return str(Path("results") / (slug(names[0]) if len(names) == 1 else slug("compare_" + "_vs_".join(names))))


def files_written(folder: Path) -> str:
    names = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    return ", ".join(names)


