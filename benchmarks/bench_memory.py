"""The memory guard's estimate against the measured peak resident memory of one run.

Each size runs in a fresh subprocess, as one pool worker would: leadsim imported, the compiled kernels loaded,
then one replication of the scenario (the model built, stepped month by month, its long table made). The peak
resident set (VmHWM, the process's own high-water mark: what the kernel's out-of-memory killer weighs) is read
after set-up and after every month, so the table says when the peak was reached: where it comes early, a short
horizon measures a large size.
The estimate is :func:`simulation.memory.estimate_memory` for one process and one replication - the part
of ``leadsim run``'s and ``leadsim sweep``'s estimate that each model process adds.

    .venv/bin/python benchmarks/bench_memory.py                                # 2,000 to 2,000,000 people, 60 months
    .venv/bin/python benchmarks/bench_memory.py --sizes 20000000 --months 3    # ~12 GB: check `free -g` first
    .venv/bin/python benchmarks/bench_memory.py --sizes 200000 --profile       # the peak after every month

The ratio is measured / estimated: it must stay below 1 (the guard errs on the side of refusing).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, resource, sys, time
from simulation.scenario_files import load_scenario
from simulation.kernel_warmup import load_kernels
from simulation.core.model import LeadershipModel

def peak():
    # VmHWM: this process's own peak. ru_maxrss is not: Linux carries the parent's peak at the fork into a child
    # across exec, so a child of a large process (a long test session) reports the parent's size.
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux

path, n, months = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
scenario = load_scenario(path, {"population.people": n, "months": months}).scenario
load_kernels()
loaded = peak()
started = time.perf_counter()
model = LeadershipModel(scenario, rng=scenario.seed, person_agents=False)
peaks = [peak()]
for _ in range(months):
    model.run_for(1)
    peaks.append(peak())
table = model.metrics()
final = peak()
print(json.dumps({"people": n, "months": months, "loaded": loaded, "peaks": peaks, "peak": final,
                  "table_rows": len(table), "seconds": time.perf_counter() - started, "ties": len(model.ties)}))
"""


def measure(scenario: Path, n: int, months: int) -> dict:
    """Run one replication in a fresh process; its peaks, and the estimate (made here, so that a changed
    estimate can be compared with the same measurement: ``--json`` keeps it)."""
    from simulation.memory import estimate_memory
    from simulation.scenario_files import load_scenario

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", CHILD, str(scenario), str(n), str(months)], capture_output=True,
                         text=True, check=True, env=env)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    estimated = estimate_memory(load_scenario(scenario, {"population.people": n, "months": months}).scenario,
                                replications=1, workers=1)
    return {**result, "estimate": estimated.total}


def reached(r: dict, share: float) -> str:
    """The first month after which the peak was at least ``share`` of the run's final peak (0: the set-up;
    "table": only while the long table was made, after the last month)."""
    return next((str(m) for m, p in enumerate(r["peaks"]) if p >= share * r["peak"]), "table")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="*", default=[2_000, 200_000, 2_000_000])
    parser.add_argument("--months", type=int, default=60)
    parser.add_argument("--scenario", type=Path, default=ROOT / "scenarios" / "baseline.yaml")
    parser.add_argument("--profile", action="store_true", help="print the peak after set-up and every month")
    parser.add_argument("--json", type=Path, help="also append each measurement to this file (one JSON a line)")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
          f"scenario {args.scenario.name}")
    print(f"{'people':>11} {'months':>6} {'estimate GB':>11} {'peak RSS GB':>11} {'ratio':>6} {'loaded GB':>9} "
          f"{'95% at':>6} {'100% at':>7} {'run s':>7}")
    for n in args.sizes:
        r = measure(args.scenario, n, args.months)
        if args.json is not None:
            with args.json.open("a") as handle:
                handle.write(json.dumps(r) + "\n")
        print(f"{n:>11,} {r['months']:>6} {r['estimate'] / 1e9:>11.3f} {r['peak'] / 1e9:>11.3f} "
              f"{r['peak'] / r['estimate']:>6.2f} {r['loaded'] / 1e9:>9.3f} {reached(r, 0.95):>6} "
              f"{reached(r, 1.0):>7} {r['seconds']:>7.1f}", flush=True)
        if args.profile:
            print("  peak GB after set-up, then each month: "
                  + " ".join(f"{p / 1e9:.3f}" for p in r["peaks"]) + f"; with the table {r['peak'] / 1e9:.3f}")


if __name__ == "__main__":
    main()
