"""Planning speed: runs planned per second for Sobol studies of the tests' tiny study, and the size bound.

    .venv/bin/python benchmarks/bench_planning.py                    # N = 1024 and 32768, 1, 2 and 10 replications
    .venv/bin/python benchmarks/bench_planning.py --samples 4096 --replications 2

Planning validates every (point, lever) scenario and computes every run's key, so its time grows with the runs;
``plan.MAX_RUNS`` bounds a study (a larger one is refused at once, from a closed form of the design). The rate is
the best of two plans (the first includes nothing but planning: SALib is imported beforehand), with peak memory.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))


def rate(folder: Path, samples: int, replications: int) -> tuple[int, float]:
    from studies_support import study_data

    from simulation.studies import build_plan, load_study

    path = folder / f"plan-{samples}-{replications}.yaml"
    data = study_data(design={"method": "sobol", "samples": samples, "seed": 1}, replications=replications)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    study = load_study(path)
    best, runs = 0.0, 0
    for _ in range(2 if samples <= 4096 else 1):
        started = time.perf_counter()
        plan = build_plan(study)
        runs = len(plan.runs)
        best = max(best, runs / (time.perf_counter() - started))
    return runs, best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--samples", type=int, nargs="*", default=[1024, 32768], help="Sobol base samples N")
    parser.add_argument("--replications", type=int, nargs="*", default=[1, 2, 10])
    args = parser.parse_args()
    import SALib.sample.sobol  # noqa: F401  - importing SALib (and scipy) is not planning

    from simulation.studies.plan import MAX_RUNS

    print(f"bound: at most {MAX_RUNS:,} runs a study")
    with tempfile.TemporaryDirectory() as tmp:
        for samples in args.samples:
            for replications in args.replications:
                if samples * 4 * 2 * replications > MAX_RUNS:
                    continue
                runs, per_second = rate(Path(tmp), samples, replications)
                print(f"N = {samples:>6}, {replications:>2} replications: {runs:>9,} runs, {per_second:>8,.0f} runs/s "
                      f"(peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6:.2f} GB)",
                      flush=True)


if __name__ == "__main__":
    main()
