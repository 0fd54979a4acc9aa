"""Where a month goes: milliseconds per month for each stage of the step, at one community size.

The performance targets of the design brief (0.5 µs per agent-step; 1,000 runs a minute of 2,000-person runs) are
not met yet, and the cost is spread over many stages. This prints the split, so the next optimisation starts
from a measurement instead of a guess. It wraps the functions ``simulation.core.model`` calls (and the metrics
recorder and the interventions' step) with timers for the run, so the model's code is measured as it is; the
numbers of the run are unchanged.

    .venv/bin/python benchmarks/bench_stages.py                    # 10,000 people, 60 months
    .venv/bin/python benchmarks/bench_stages.py --people 2000      # the size of a study's runs
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import simulation.core.model as model_module  # noqa: E402
from simulation import LeadershipModel, Scenario  # noqa: E402
from simulation.core import network_formation  # noqa: E402
from simulation.core.interventions import Intervention  # noqa: E402
from simulation.core.metrics import MetricsRecorder  # noqa: E402
from simulation.core.network import Ties  # noqa: E402

STAGES = ["update_practice", "forget", "organizational_learning", "spread_engagement", "spread_purpose",
          "form_initiatives", "progress_initiatives", "spread_initiatives", "update_result",
          "apply_turnover"]
SECONDS: defaultdict[str, float] = defaultdict(float)


def timed(name: str, function: Callable) -> Callable:
    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            SECONDS[name] += time.perf_counter() - started
    return wrapper


def instrument() -> None:
    """Replace what the step calls by timed versions (module functions, metrics, programmes)."""
    for name in STAGES:
        setattr(model_module, name, timed(name, getattr(model_module, name)))
    network_formation.meeting_pairs = timed("meeting_pairs", network_formation.meeting_pairs)
    Ties.upsert_and_decay = timed("new ties and decay", Ties.upsert_and_decay)
    MetricsRecorder.collect = timed("metrics", MetricsRecorder.collect)
    Intervention.run_month = timed("interventions", Intervention.run_month)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--months", type=int, default=60)
    args = parser.parse_args()
    scenario = Scenario(population={"people": args.people}, months=args.months,
                        budget=args.people * 0.01 * 12_000 * args.months / 12,
                        interventions=[{"type": "individual_training"}])
    # Warm-up: the compiled kernels load from numba's cache (or compile) at their first call in a process; a
    # study's workers pay that once, so it is kept out of the per-month figures.
    LeadershipModel(scenario.model_copy(update={"months": 3}), rng=2, person_agents=False).run_for(3)
    model = LeadershipModel(scenario, rng=1, person_agents=False)
    instrument()
    started = time.perf_counter()
    for _ in range(args.months):
        step_started = time.perf_counter()
        model.step()
        SECONDS["whole step"] += time.perf_counter() - step_started
    total = time.perf_counter() - started
    named = sum(v for k, v in SECONDS.items() if k != "whole step")
    SECONDS["rest (bookkeeping)"] = SECONDS["whole step"] - named
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
          f"{args.people:,} people, {args.months} months, individual training; {total:.2f} s, "
          f"{total / (args.people * args.months) * 1e6:.3f} µs per agent-step")
    for name, seconds in sorted(SECONDS.items(), key=lambda kv: -kv[1]):
        print(f"  {name:40s} {seconds / args.months * 1000:8.2f} ms a month")


if __name__ == "__main__":
    main()
