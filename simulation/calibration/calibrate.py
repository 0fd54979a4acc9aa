"""``calibrate(cal, out, ...)``: run or resume a calibration into its folder, then write the posterior and checks.

Where particles run: ``workers`` local processes (the project's pool, :func:`simulation.worker_pool.start_pool`;
1: this process) or a Dask cluster (``scheduler``: ``tcp://HOST:PORT`` or ``local``, as ``leadsim sweep`` takes it,
through :class:`simulation.studies.executors.DaskCluster`). The numbers are the same either way
(:mod:`simulation.calibration.sampler`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from simulation.calibration import output, smc
from simulation.calibration.sampler import evaluate_values
from simulation.calibration.spec import Calibration
from simulation.results import now

Echo = Callable[[str], None]
PREDICTIVE_TAG = 1_000_003
"""The predictive check's draws are seeded (seed, PREDICTIVE_TAG, draw): apart from every generation's."""


@dataclass
class Outcome:
    folder: Path
    posterior: pd.DataFrame
    summary: pd.DataFrame
    generations: pd.DataFrame
    predictive: pd.DataFrame
    resumed_from: int
    stopped: str


@contextmanager
def where_to_run(workers: int, scheduler: str | None) -> Iterator[tuple[Any, int, str]]:
    """``(submit, slots, description)`` for the sampler; ``submit`` None runs in this process."""
    if scheduler is not None:
        from simulation.studies.executors import DaskCluster

        cluster = DaskCluster(workers=workers) if scheduler == "local" else DaskCluster(address=scheduler)
        try:
            client = cluster.client
            yield (lambda fn, *args: client.submit(fn, *args, pure=False)), max(1, cluster.threads()), \
                cluster.description
        finally:
            cluster.close()
    elif workers > 1:
        from simulation.worker_pool import start_pool, stop_pool

        pool = start_pool(workers)
        try:
            yield pool.submit, workers, f"{workers} local processes"
        finally:
            stop_pool(pool)
    else:
        yield None, 1, "this process"


def calibrate(cal: Calibration, out: Path | None = None, workers: int = 1, scheduler: str | None = None,
              echo: Echo | None = None, argv: list[str] | None = None) -> Outcome:
    """Run the calibration (resuming what ``out`` holds), write its results there, and return them."""
    echo = echo or (lambda _line: None)
    folder = Path(out) if out is not None else cal.out
    earlier = output.check_folder(folder, cal)
    started = earlier["started"] if earlier else now()
    sessions = list(earlier.get("sessions", [])) if earlier else []
    run = {"argv": argv or [], "workers": workers, "scheduler": scheduler, "started": started,
           "sessions": [*sessions, {"started": now(), "workers": workers, "scheduler": scheduler}]}
    folder.mkdir(parents=True, exist_ok=True)
    output.write_json(folder / output.MANIFEST, output.manifest(cal, run, folder, "running"))
    resumed = [0]
    with where_to_run(workers, scheduler) as (submit, slots, description):
        def on_start(done: int) -> None:
            resumed[0] = done
            echo(f"calibrating {cal.name}: {len(cal.spec.parameters)} parameters, {len(cal.targets)} targets, "
                 f"{cal.spec.population} particles x {cal.spec.seeds} seeds, on {description}"
                 + (f"; resuming after generation {done - 1} (from {folder / smc.HISTORY})" if done else ""))

        history, stopped = smc.run(cal, folder, submit, slots, _progress(echo, cal), on_start)
        echo(f"stopped: {stopped or 'pyabc stopped'}")
        run["stopped"] = stopped
        post = output.posterior(history, cal)
        gens = output.generations(history, cal.spec.population)
        predictive = predictive_check(cal, post, submit)
    table = output.summary(cal, post)
    write_results(cal, folder, post, table, gens, predictive)
    output.write_json(folder / output.MANIFEST, output.manifest(cal, run, folder, "finished", gens))
    return Outcome(folder, post, table, gens, predictive, resumed[0], stopped)


def _progress(echo: Echo, cal: Calibration) -> smc.Progress:
    clock = time.perf_counter()
    total = [0]

    def progress(t: int, epsilon: float, accepted: int, evaluations: int, seconds: float) -> None:
        total[0] += evaluations
        echo(f"generation {t}: epsilon {epsilon:.4g}, acceptance {accepted / max(evaluations, 1):.2f} ({accepted} "
             f"particles from {evaluations} simulations), {seconds:.0f} s; this session {total[0]} simulations, "
             f"{time.perf_counter() - clock:.0f} s")

    return progress


def predictive_check(cal: Calibration, post: pd.DataFrame, submit: Any) -> pd.DataFrame:
    """``cal.spec.predictive`` draws from the posterior (by weight), each measured on new seeds: the
    distribution of each target's measurement the posterior produces (columns draw, target, value)."""
    draws = cal.spec.predictive
    if draws == 0:
        return pd.DataFrame({"draw": [], "target": [], "value": []})
    rng = np.random.default_rng([cal.spec.seed, PREDICTIVE_TAG])
    rows = rng.choice(len(post), size=draws, p=post["weight"].to_numpy())
    model = smc.ParticleModel(cal)
    names = smc.names(cal)
    particles = [{name: float(post[path].iloc[r]) for name, path in names.items()} for r in rows]
    args = [(model, particle, cal.spec.seed, PREDICTIVE_TAG, k) for k, particle in enumerate(particles)]
    if submit is None:
        measured = [evaluate_values(*a) for a in args]
    else:
        futures = [submit(evaluate_values, *a) for a in args]  # the pool and Dask queue what the slots cannot take
        measured = [f.result() for f in futures]
    return pd.DataFrame([{"draw": k, "target": ident, "value": value}
                         for k, values in enumerate(measured) for ident, value in values.items()])


def write_results(cal: Calibration, folder: Path, post: pd.DataFrame, table: pd.DataFrame, gens: pd.DataFrame,
                  predictive: pd.DataFrame) -> None:
    from simulation import plots
    from simulation.calibration.smc import distribution
    from simulation.results import write_atomic

    write_atomic(folder / output.POSTERIOR, lambda tmp: post.to_parquet(tmp, index=False))
    write_atomic(folder / "predictive.parquet", lambda tmp: predictive.to_parquet(tmp, index=False))
    write_atomic(folder / "summary.csv", lambda tmp: table.to_csv(tmp, index=False))
    write_atomic(folder / "generations.csv", lambda tmp: gens.to_csv(tmp, index=False))
    priors = {path: (distribution(p).distribution, cal.label(path)) for path, p in cal.spec.parameters.items()}
    labels = {path: cal.label(path) for path in cal.spec.parameters}
    targets = [(t.id, t.low, t.high, t.unit) for t in cal.targets]
    figures = folder / "figures"
    plots.save(plots.marginals_figure(post, priors), figures / "marginals.png")
    plots.save(plots.pairs_figure(post, labels), figures / "pairs.png")
    plots.save(plots.generations_figure(gens), figures / "generations.png")
    plots.save(plots.predictive_figure(predictive, targets), figures / "predictive.png")
