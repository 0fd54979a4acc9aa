"""First comparison: every registered intervention at the same budget, on the same seeds, against business as usual.

    .venv/bin/python experiments/first_comparison.py            # 5 replications, 2,000 people, 60 months
    .venv/bin/python experiments/first_comparison.py --replications 10 --workers 4 --csv results/first.csv

Each strategy gets the scenario library's shared budget (600,000 over 60 months for 2,000 people, as in
scenarios/leader_vs_leadership) and runs with its documented defaults (``leadsim interventions`` lists them; no
parameter is tuned here). Replication r of every strategy uses seed ``seed + r`` - the same people, organizations,
network and random draws - so the community result gained is a paired difference from the null run, with a 95%
t-interval over replications (``simulation.compare``). Also shown: people reached, money spent, and cost per
point (money per +0.01 of community result; blank when the gain is not positive).

One variant is added beside the registered defaults, because the source names it as the condition on which the
strategy turns: hosting with a follow-up community (12 months of monthly gatherings after each event: "Action
requires a more sustained engagement over time that extends beyond one gathering or event", Leading Edge Promising
Practices in Collective and Individual Leadership Development).
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from simulation import REGISTRY, Scenario  # noqa: E402
from simulation.compare import paired_comparison  # noqa: E402
from simulation.execution import run_scenarios  # noqa: E402

BUDGET, PEOPLE, MONTHS = 600_000.0, 2000, 60
VARIANTS = {"hosting+follow_up": ("hosting", {"follow_up_months": 12})}


def scenarios(budget: float, people: int, months: int) -> list[Scenario]:
    """Business as usual first (the reference), then one scenario per strategy at the same budget."""
    common = {"population": {"people": people}, "months": months, "budget": budget}
    strategies = {name: (name, {}) for name in sorted(REGISTRY) if name != "null"} | VARIANTS
    return [Scenario(name="null", **common)] + [
        Scenario(name=label, interventions=[{"type": kind, "label": label, "params": params}], **common)
        for label, (kind, params) in strategies.items()
    ]


def comparison(budget: float, people: int, months: int, replications: int, seed: int, workers: int) -> pd.DataFrame:
    tables, _ = run_scenarios(scenarios(budget, people, months), replications, seed, workers)
    return paired_comparison(pd.concat(tables, ignore_index=True))


def render(table: pd.DataFrame) -> str:
    """A plain-text table, strategies ordered by result gained (the null reference first)."""
    rows = pd.concat([table.iloc[:1], table.iloc[1:].sort_values("change", ascending=False)])
    lines = [f"{'strategy':26s} {'gain (pts)':>10s} {'95% CI (pts)':>18s} {'reached':>8s} {'spent':>10s} "
             f"{'cost/pt':>10s}"]
    for r in rows.itertuples():
        ci = "" if r.scenario == "null" else f"[{100 * r.ci_low:+7.2f}, {100 * r.ci_high:+7.2f}]"
        per_point = "" if math.isnan(r.cost_per_point) else f"{r.cost_per_point:10,.0f}"
        lines.append(f"{r.scenario:26s} {100 * r.change:+10.2f} {ci:>18s} {r.people_reached:8,.0f} "
                     f"{r.cost_spent:10,.0f} {per_point:>10s}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--replications", type=int, default=5, help="replications (seeds seed..seed+n-1)")
    parser.add_argument("--seed", type=int, default=1, help="first seed")
    parser.add_argument("--budget", type=float, default=BUDGET, help="budget of every strategy over the horizon")
    parser.add_argument("--people", type=int, default=PEOPLE, help="community size")
    parser.add_argument("--months", type=int, default=MONTHS, help="horizon")
    parser.add_argument("--workers", type=int, default=2, help="processes")
    parser.add_argument("--csv", type=Path, help="also write the comparison table here")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    table = comparison(args.budget, args.people, args.months, args.replications, args.seed, args.workers)
    null = table.iloc[0]
    print(f"Budget {args.budget:,.0f} per strategy over {args.months} months; {args.people:,} people; "
          f"{args.replications} replications (seeds {args.seed}-{args.seed + args.replications - 1}); "
          f"defaults of every intervention (`leadsim interventions`); variants: "
          + ", ".join(f"{k} = {v[0]} with {v[1]}" for k, v in VARIANTS.items()))
    print(f"Null run: community result {null.final_result:.4f} at month {int(null.month)}. Gain = paired "
          f"difference in final community result, in points (0.01 on its 0-1 scale); cost/pt = money per point.\n")
    print(render(table))
    print(f"\n{time.perf_counter() - started:.0f} s")
    if args.csv:
        args.csv.parent.mkdir(parents=True, exist_ok=True)
        table.to_csv(args.csv, index=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
