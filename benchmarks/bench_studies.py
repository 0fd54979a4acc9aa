"""Study performance: runs per minute of a Sobol study, Dask's per-task overhead, and how much
common random numbers shrink the variance of a paired strategy difference.

    .venv/bin/python benchmarks/bench_studies.py                       # everything (about 4 minutes on 2 cores)
    .venv/bin/python benchmarks/bench_studies.py --only sobol --samples 16
    .venv/bin/python benchmarks/bench_studies.py --only dask --tasks 2000
    .venv/bin/python benchmarks/bench_studies.py --only crn --replications 40
    .venv/bin/python benchmarks/bench_studies.py --only profile        # where one run's time goes (cProfile)

Targets: >= 1,000 runs/min for 2,000-person, 60-month runs on 2 cores (0.12 s per run per core); <= 10 ms of Dask
overhead per task; common random numbers cut the variance of a paired difference >= 5x against independent seeds.

* sobol - a Sobol study of the six uncertainties of experiments/sobol.yaml (N x 8 runs of 2,000 people x 60
  months, leader development lever, final month kept; N = 128 by default, the shipped study's 1,024 runs) swept on
  2 local processes into a temporary folder: planning, running, storing and analysing included. The runs phase
  includes starting the worker pool (about a second, the kernels loaded once in its fork server), so a small N
  understates the rate (N = 16: 128 runs in about 9 s). Also the time of one run in this process, and the
  ceiling it implies (2 cores / that time).
* dask - a LocalCluster of 2 worker processes on 127.0.0.1 runs TASKS empty tasks (``worker.empty_run``, shipped
  by reference like the real runner) through the sweep's own Dask executor (submit, wait, collect, callbacks),
  five rounds: overhead per task = wall time x workers / tasks (what a worker slot loses per task; median and
  range of the rounds), and the round trip of one task at a time.
* crn - baseline and leader development (scenarios/baseline.yaml, scenarios/leader_vs_leadership/leader.yaml),
  R replications each, through ``simulation.execution.run_scenarios``: the variance of the paired difference in
  final community result with shared seeds (replication r of both on seed 1 + r) against independent seeds (the
  leader runs on seeds 1,000,001 + r), with a 95% F interval of the ratio.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import platform
import pstats
import statistics
import sys
import tempfile
import time
from collections import deque
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from simulation.studies import Task  # noqa: E402

SOBOL_STUDY = {
    "name": "bench_sobol",
    "base": str(ROOT / "scenarios" / "baseline.yaml"),
    "levers": [{"name": "leader", "set": {"budget": 600000, "interventions": [
        {"type": "individual_training", "params": {"selection": "position", "cost_per_participant": 12000}}]}}],
    "uncertainties": yaml.safe_load((ROOT / "experiments" / "sobol.yaml").read_text())["uncertainties"],
    "design": {"method": "sobol", "samples": 16, "seed": 1},
    "replications": 1,
    "seed": 1,
    "outputs": [{"name": "result", "metric": "community_result"}],
    "store": {"keep_months": "final", "shard_runs": 200},
}


def machine() -> str:
    return (f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"{platform.platform()}")


def bench_sobol(samples: int, workers: int) -> None:
    from simulation.studies import build_plan, load_study, run_task, sweep

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench_sobol.yaml"
        path.write_text(yaml.safe_dump({**SOBOL_STUDY, "design": {**SOBOL_STUDY["design"], "samples": samples}}))
        plan = build_plan(load_study(path))
        tasks = list(plan.tasks(set(plan.runs["key"][:3])))
        one = []
        for task in tasks:  # warm-up and single-run time in this process
            started = time.perf_counter()
            run_task(task)
            one.append(time.perf_counter() - started)
        started = time.perf_counter()
        report = sweep(path, Path(tmp) / "out", workers=workers)
        total = time.perf_counter() - started
    per_run = min(one[1:])
    print(f"sobol study: {report.ran:,} runs of 2,000 people x 60 months (N = {samples}, 6 uncertainties) on "
          f"{report.executor}")
    print(f"  runs phase:  {report.seconds:7.1f} s  -> {report.runs_per_minute:7.0f} runs/min")
    print(f"  end to end:  {total:7.1f} s  -> {60 * report.ran / total:7.0f} runs/min (plan, store, analysis "
          "included)")
    print(f"  one run in this process: {per_run:.3f} s -> ceiling {60 * workers / per_run:,.0f} runs/min on "
          f"{workers} cores (target 1,000: {per_run / (0.12):.1f}x too slow)" if per_run > 0.12 else
          f"  one run in this process: {per_run:.3f} s (meets the 0.12 s per run per core target)")


ROUNDS = 5


def bench_dask(tasks: int, workers: int) -> None:
    from simulation.studies import DaskCluster
    from simulation.studies.worker import empty_run

    def make(n: int) -> deque[Task]:
        return deque(Task(f"{i:024x}", "{}", i, "bench") for i in range(n))

    walls: list[float] = []
    with DaskCluster(workers=workers) as cluster:
        cluster.execute(make(50), empty_run, lambda t, o: None, _fail)  # warm-up: workers import and connect
        for _ in range(ROUNDS):  # the overhead varies from round to round on a shared machine: the median is shown
            started = time.perf_counter()
            cluster.execute(make(tasks), empty_run, lambda t, o: None, _fail)
            walls.append(time.perf_counter() - started)
        trips = []
        for i in range(50):
            started = time.perf_counter()
            cluster.execute(deque([Task(f"trip{i:020x}", "{}", i, "bench")]), empty_run, lambda t, o: None, _fail)
            trips.append(time.perf_counter() - started)
        description = cluster.description
    per_task = sorted(1000 * wall * workers / tasks for wall in walls)
    print(f"dask overhead: {ROUNDS} rounds of {tasks:,} empty tasks on {description}")
    rounds = " ".join(f"{1000 * w * workers / tasks:.2f}" for w in walls)
    print(f"  ms per task per worker slot, round by round: {rounds}")
    print(f"  throughput:  {tasks / statistics.median(walls):,.0f} tasks/s -> {statistics.median(per_task):.2f} ms of "
          f"overhead per task per worker slot, median of the rounds ({per_task[0]:.2f}-{per_task[-1]:.2f}; target "
          "<= 10 ms)")
    print(f"  round trip of one task at a time: median {1000 * statistics.median(trips):.1f} ms (includes the "
          "executor's polling)")


def _fail(task: Task, error: str) -> None:
    raise RuntimeError(error)


def bench_crn(replications: int, workers: int) -> None:
    from simulation.compare import final_values
    from simulation.execution import run_scenarios
    from simulation.scenario_files import load_scenario

    base = load_scenario(ROOT / "scenarios" / "baseline.yaml").scenario
    leader = load_scenario(ROOT / "scenarios" / "leader_vs_leadership" / "leader.yaml").scenario
    started = time.perf_counter()
    (base_t, leader_t), _ = run_scenarios([base, leader], replications, 1, workers)
    (other_t,), _ = run_scenarios([leader], replications, 1_000_001, workers)
    seconds = time.perf_counter() - started
    b = final_values(base_t, "community_result").iloc[:, 0].to_numpy()
    shared = final_values(leader_t, "community_result").iloc[:, 0].to_numpy() - b
    indep = final_values(other_t, "community_result").iloc[:, 0].to_numpy() - b
    v_shared, v_indep = shared.var(ddof=1), indep.var(ddof=1)
    ratio = v_indep / v_shared if v_shared > 0 else float("inf")
    from scipy.stats import f

    df = replications - 1
    low, high = ratio / f.ppf(0.975, df, df), ratio * f.ppf(0.975, df, df)
    print(f"common random numbers: leader development - baseline, final community result, {replications} "
          f"replications of 2,000 people x 60 months ({seconds:.0f} s)")
    print(f"  mean difference: shared seeds {shared.mean():+.5f}, independent seeds {indep.mean():+.5f}")
    print(f"  sd of the difference: shared {np.sqrt(v_shared):.6f}, independent {np.sqrt(v_indep):.6f}")
    print(f"  variance reduction: {ratio:,.0f}x  (95% F interval {low:,.0f}x - {high:,.0f}x; target >= 5x)")


def bench_profile(top: int) -> None:
    from simulation import LeadershipModel
    from simulation.scenario_files import load_scenario

    scenario = load_scenario(ROOT / "scenarios" / "leader_vs_leadership" / "leader.yaml").scenario
    LeadershipModel(scenario, rng=0, person_agents=False).run_for(scenario.months)  # warm caches and imports
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    runs = 5
    for seed in range(runs):
        model = LeadershipModel(scenario, rng=seed, person_agents=False)
        model.run_for(scenario.months)
        model.metrics()
    profiler.disable()
    seconds = (time.perf_counter() - started) / runs
    print(f"profile: {runs} runs of scenarios/leader_vs_leadership/leader.yaml (2,000 people x 60 months, "
          f"person_agents=False): {seconds:.3f} s per run under cProfile")
    for key, title in (("cumulative", "by cumulative time (model functions)"), ("tottime", "by own time")):
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).sort_stats(key)
        stats.print_stats("simulation/" if key == "cumulative" else "", top)
        print(f"-- {title} --")
        rows = [r for r in out.getvalue().splitlines() if r.strip() and r.lstrip()[:1].isdigit()]
        print("\n".join(rows[:top]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", choices=["sobol", "dask", "crn", "profile"], action="append")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--samples", type=int, default=128,
                        help="Sobol base samples N (power of 2; N x 8 runs); 128 is experiments/sobol.yaml's")
    parser.add_argument("--tasks", type=int, default=2000, help="empty Dask tasks")
    parser.add_argument("--replications", type=int, default=30, help="replications per arm of the CRN benchmark")
    parser.add_argument("--top", type=int, default=20, help="functions listed by --only profile")
    args = parser.parse_args()
    parts = args.only or ["sobol", "dask", "crn"]
    print(machine())
    if "sobol" in parts:
        bench_sobol(args.samples, args.workers)
    if "dask" in parts:
        bench_dask(args.tasks, args.workers)
    if "crn" in parts:
        bench_crn(args.replications, args.workers)
    if "profile" in parts:
        bench_profile(args.top)


if __name__ == "__main__":
    main()
