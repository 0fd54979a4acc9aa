"""Model performance: set-up time, microseconds per agent-step and peak memory.

Each size runs in a fresh subprocess so its peak resident memory (VmHWM) is its own, including the Python
interpreter and imported libraries. Individual training is active, with a budget that trains about 1% a year.
The compiled kernels load from numba's cache (or compile, the first time on a machine) at their first call in a
process: ``simulation.kernel_warmup.load_kernels()`` (a tiny run) pays that first, and its time is printed as "load s",
apart from the other figures.

    .venv/bin/python benchmarks/bench_model.py                 # 10,000 and 100,000 people, 60 months
    .venv/bin/python benchmarks/bench_model.py --million       # also 1,000,000 people x 60 months
    .venv/bin/python benchmarks/bench_model.py --sizes 2000 --months 60 --views

Targets: <= 0.5 us per agent-step at 10k and 100k; 100k set-up under 2 s; 1M x 60 months in under 1.5 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys

CHILD = r"""
import json, resource, sys, time
import simulation as s
n, months, views = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "1"
scenario = s.Scenario(population={"people": n}, months=months, budget=n * 0.01 * 12_000 * months / 12,
                      interventions=[{"type": "individual_training"}])
started = time.perf_counter()
from simulation.kernel_warmup import load_kernels
load_kernels()  # the compiled kernels load (or compile) here, timed apart
t0 = time.perf_counter()
model = s.LeadershipModel(scenario, rng=1, person_agents=views)
if views:
    len(model.agents)  # build the Person views now, so their cost is counted in set-up
t1 = time.perf_counter()
model.run_for(months)
t2 = time.perf_counter()
print(json.dumps({"people": n, "months": months, "views": views, "load_s": t0 - started, "setup_s": t1 - t0,
                  "run_s": t2 - t1,
                  "us_per_agent_step": (t2 - t1) / (n * months) * 1e6,
                  "peak_mb": [int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:")][0] / 1024,
                  "ties": len(model.ties), "result": model.result}))
"""


def measure(n: int, months: int, views: bool) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, str(n), str(months), "1" if views else "0"],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000])
    parser.add_argument("--months", type=int, default=60)
    parser.add_argument("--million", action="store_true", help="also run 1,000,000 people")
    parser.add_argument("--views", action="store_true", help="create Mesa Person views (model.agents)")
    args = parser.parse_args()
    sizes = args.sizes + ([1_000_000] if args.million else [])
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.platform()}")
    print(f"{'people':>10} {'months':>6} {'views':>5} {'load s':>7} {'setup s':>8} {'run s':>8} {'us/agent-step':>14} "
          f"{'peak MB':>8} {'ties':>10}")
    for n in sizes:
        r = measure(n, args.months, args.views)
        print(f"{r['people']:>10,} {r['months']:>6} {str(r['views']):>5} {r['load_s']:>7.2f} {r['setup_s']:>8.2f} "
              f"{r['run_s']:>8.2f} {r['us_per_agent_step']:>14.3f} {r['peak_mb']:>8.0f} {r['ties']:>10,}")


if __name__ == "__main__":
    main()
