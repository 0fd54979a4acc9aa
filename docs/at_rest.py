"""Draw docs/figures/baseline_at_rest.png and print the numbers of docs/validation.md, "The baseline at rest".

Business as usual (the measures' 2,000-person community, no programme) over 120 months, ten seeds, at the defaults
and with each of the three settings that put the month-0 community at rest undone in turn:

* ``settling_months 0``: organizations' practice starts at their members' mean instead of where mutual learning
  and forgetting balance;
* ``purpose_consensus 0``: the founding population's purpose has newcomers' spread;
* ``engagement 0.10 / 0.04``: the earlier engaged share at month 0 (0.10) and engagement decay (0.04), under
  which the engaged share climbs past the CPS range.

Top: the community result's change from month 0 (points, mean over seeds, shaded: the seeds' 95% interval of the
mean). Bottom: the engaged share of the living, with the CPS volunteering range (evidence id
``community.engaged_share``). Usage, from the repository root (about a minute)::

    .venv/bin/python docs/at_rest.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import matplotlib  # noqa: E402

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from simulation.measures import POINTS, Estimate, community, run_summary  # noqa: E402

FIGURE = ROOT / "docs" / "figures" / "baseline_at_rest.png"
SEEDS = (11, 12, 13, 14, 15, 3, 4, 5, 6, 7)
MONTHS = 120
VARIANTS: dict[str, dict[str, float]] = {
    "defaults": {},
    "settling_months 0": {"learning.settling_months": 0},
    "purpose_consensus 0": {"population.purpose_consensus": 0.0},
    "engagement 0.10 / 0.04": {"population.initial_engaged_share": 0.10, "engagement.engagement_decay": 0.04},
}


def paths(values: dict[str, float]) -> tuple[np.ndarray, np.ndarray]:
    """Per seed: the result's change from month 0 in points, and the engaged share, at months 0..MONTHS."""
    scenario = community(2000, MONTHS, values=values)
    runs = [run_summary(scenario, seed) for seed in SEEDS]
    return (np.array([POINTS * (r.result - r.result[0]) for r in runs]), np.array([r.engaged for r in runs]))


def band(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The mean over seeds and its 95% t-interval at every month."""
    per_month = [Estimate.of(column) for column in x.T]
    return tuple(np.array([getattr(e, k) for e in per_month]) for k in ("value", "low", "high"))


def main() -> None:
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(8, 7), sharex=True)
    months = np.arange(MONTHS + 1)
    print(f"{'variant':<24} {'drift 0-60':>18} {'drift 60-120':>18} {'engaged m60':>12} {'engaged m120':>12}")
    for name, values in VARIANTS.items():
        change, engaged = paths(values)
        for axis, data in ((top, change), (bottom, engaged)):
            mean, low, high = band(data)
            (line,) = axis.plot(months, mean, label=name, lw=2 if name == "defaults" else 1.2)
            axis.fill_between(months, low, high, color=line.get_color(), alpha=0.15)
        first, second = Estimate.of(change[:, 60]), Estimate.of(change[:, 120] - change[:, 60])
        print(f"{name:<24} {str(first):>18} {str(second):>18} {engaged[:, 60].mean():12.3f} "
              f"{engaged[:, 120].mean():12.3f}")
    top.axhspan(-0.5, 0.5, color="0.85", zorder=0, label="drift target over 60 months")
    top.axhline(0, color="0.4", lw=0.8)
    top.set_ylabel("community result, change from month 0 (points)")
    top.legend(fontsize=8, loc="upper left")
    bottom.axhspan(0.23, 0.30, color="0.85", zorder=0, label="CPS formal volunteering 2019-2023")
    bottom.set_ylabel("engaged share of the living")
    bottom.set_xlabel("month (business as usual, 2,000 people, 10 seeds)")
    bottom.legend(fontsize=8, loc="upper left")
    fig.suptitle("Business as usual at rest: the defaults, and each at-rest setting undone")
    fig.tight_layout()
    FIGURE.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(FIGURE, dpi=110)
    print(f"wrote {FIGURE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
