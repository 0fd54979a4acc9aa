"""The regression baseline: final-month metrics of a handful of shipped scenarios at fixed seeds.

``tests/baseline.json`` is committed. ``tests/test_baselines.py`` runs the same scenarios and compares every
metric with it; a change that moves the model's numbers fails there until the baseline is regenerated on
purpose (``make baseline``), and the diff of ``baseline.json`` then shows what the change did.

When a change alters only rounding and a trajectory then diverges (a last-bit difference can cross a threshold),
compare distributions instead of single runs::

    python tests/baselines.py --distribution 20 --save /tmp/before.json     # on the code before
    python tests/baselines.py --distribution 20 --save /tmp/after.json      # on the code after
    python tests/baselines.py --compare /tmp/before.json /tmp/after.json    # two-sample test per metric
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = Path(__file__).resolve().parent / "baseline.json"
SEEDS = (1, 2)
CASES = {  # name -> (scenario file, months): a small and a large community, both routes, single interventions
    "baseline": ("scenarios/baseline.yaml", None),
    "leader": ("scenarios/leader_vs_leadership/leader.yaml", None),
    "leadership": ("scenarios/leader_vs_leadership/leadership.yaml", None),
    "individual_training": ("scenarios/interventions/individual_training.yaml", None),
    "change_lab": ("scenarios/interventions/change_lab.yaml", None),
    "hosting_follow_up": ("scenarios/interventions/hosting_follow_up.yaml", None),
    "small_community": ("scenarios/small_community.yaml", None),
    "large_community": ("scenarios/large_community.yaml", 24),
}
RTOL = 1e-6
"""Relative tolerance of the comparison: the runs are deterministic, so any real change is far larger; the slack
only absorbs a last-bit difference in a library's summation (numpy and numba versions differ across machines)."""
ATOL = 1e-9
"""Absolute slack for metrics whose baseline value is zero (a relative tolerance of zero would demand bits)."""


def scenario_of(case: str):
    """The scenario of a baseline case, read with the CLI's loader (its months shortened where the case says)."""
    import simulation as sim

    path, months = CASES[case]
    scenario = sim.load_scenario(ROOT / path).scenario
    return scenario if months is None else scenario.model_copy(update={"months": months})


def final_metrics(case: str, seed: int) -> dict[str, float]:
    """Every metric at the final month of one run of ``case`` at ``seed``."""
    from simulation import LeadershipModel

    scenario = scenario_of(case)
    model = LeadershipModel(scenario, rng=seed, person_agents=False, record="final")
    model.run_for(scenario.months)
    frame = model.metrics()
    last = frame[frame.month == scenario.months]
    return {str(m): float(v) for m, v in zip(last.metric, last.value, strict=True)}


def make_baseline(seeds: tuple[int, ...] = SEEDS) -> dict[str, dict[str, dict[str, float]]]:
    """{case: {seed: {metric: value}}} for every case."""
    return {case: {str(seed): final_metrics(case, seed) for seed in seeds} for case in CASES}


def compare_distributions(before: dict, after: dict, alpha: float = 0.01) -> list[str]:
    """Metrics whose distribution over seeds differs (two-sided Mann-Whitney U, per case and metric).

    With about 40 metrics x 8 cases, a few p-values below 0.05 come by chance; 0.01 keeps the expected number of
    false alarms under four, and any real shift of a mechanism moves many metrics at once.
    """
    from scipy.stats import mannwhitneyu

    flagged = []
    for case, runs in before.items():
        metrics = next(iter(runs.values()))
        for metric in metrics:
            x = [runs[s][metric] for s in runs]
            y = [after[case][s][metric] for s in after[case]]
            if x == y or (len(set(x)) == 1 and set(x) == set(y)):
                continue
            p = mannwhitneyu(x, y, alternative="two-sided").pvalue
            if p < alpha:
                flagged.append(f"{case} {metric}: p = {p:.4f}")
    return flagged


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--refresh", action="store_true", help="regenerate tests/baseline.json")
    parser.add_argument("--distribution", type=int, metavar="N", help="run every case at seeds 1..N")
    parser.add_argument("--save", type=Path, help="where --distribution writes")
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("BEFORE", "AFTER"))
    args = parser.parse_args(argv)
    if args.refresh:
        BASELINE.write_text(json.dumps(make_baseline(), indent=1, sort_keys=True) + "\n")
        print(f"wrote {BASELINE.relative_to(ROOT)}: {len(CASES)} cases x {len(SEEDS)} seeds")
    elif args.distribution:
        data = make_baseline(tuple(range(1, args.distribution + 1)))
        args.save.write_text(json.dumps(data, sort_keys=True))
        print(f"wrote {args.save}")
    elif args.compare:
        before, after = (json.loads(p.read_text()) for p in args.compare)
        flagged = compare_distributions(before, after)
        print("\n".join(flagged) if flagged else "no metric's distribution differs at p < 0.01")
        return 1 if flagged else 0
    else:
        parser.print_help()
    return 0


if __name__ == "__main__":
    sys.exit(main())
