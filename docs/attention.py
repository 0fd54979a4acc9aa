"""Draw docs/figures/attention.png and print the numbers of docs/validation.md, "Members' attention".

The life-cycle measure's programmes (change labs, place-based programmes and social entrepreneurship, each alone at
600,000 per 60 months, 120 months; ``measures.LIFE_SEEDS``, 20 seeds) in three variants: the defaults; the earlier
defaults (members gain 0.05 engagement a month from acting together, attention loss 0.1); and the defaults with no
attention loss (the ``attention_never_lost`` mutation).

Left: members' mean engagement in each programme-started initiative over its months after funding (one value per
initiative), with HCAP's 74-79% of members active (shaded) and the target interval (dashed; evidence id
``initiatives.active_members``). Right: of the initiatives active when their funding ended, the share still
operating (or completed) 48 months later in the less and in the more active half, mean over seeds with its 95%
interval (evidence id ``initiatives.activity_predicts_survival``). Usage, from the repository root (about two
minutes)::

    .venv/bin/python docs/attention.py
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

from simulation.evidence import target  # noqa: E402
from simulation.measures import LIFE_SEEDS, Estimate, life_scenarios  # noqa: E402
from simulation.measures.life_cycle import activity_halves, followed_after_funding, initiative_fates  # noqa: E402

FIGURE = ROOT / "docs" / "figures" / "attention.png"
MONTHS = 120
VARIANTS: dict[str, dict[str, float]] = {
    "defaults": {},
    "earlier defaults (boost 0.05, loss 0.1)": {"initiatives.member_engagement_boost": 0.05,
                                                "initiatives.attention_loss": 0.1},
    "no attention loss (the mutation)": {"initiatives.attention_loss": 0.0},
}


def measure(values: dict[str, float]) -> tuple[np.ndarray, Estimate, Estimate]:
    """Members' mean engagement after funding, one value per initiative; the less and the more active half's
    share alive four years after funding, over seeds."""
    activity, low, high = [], [], []
    for seed in LIFE_SEEDS:
        fates = [f for scenario in life_scenarios(MONTHS, values=values) for f in initiative_fates(scenario, seed)]
        activity += [f.activity_after[0] / f.activity_after[1] for f in fates if f.activity_after[1] > 0]
        less, more = activity_halves(followed_after_funding(fates, MONTHS))
        low.append(less)
        high.append(more)
    return np.array(activity), Estimate.of(low), Estimate.of(high)


def main() -> None:
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    interval = target("initiatives.active_members").interval
    left.axvspan(0.74, 0.79, color="0.85", label="HCAP: 74-79% active")
    for end in interval:
        left.axvline(end, color="0.4", ls="--", lw=1)
    bins = np.linspace(0.3, 1.0, 36)
    tallest = 0.0
    for k, (name, values) in enumerate(VARIANTS.items()):
        activity, low, high = measure(values)
        print(f"{name}: members' mean engagement after funding {activity.mean():.3f} (per initiative, "
              f"{len(activity)}); alive 4 years after funding: less active half {low}, more active half {high}")
        counts, _, _ = left.hist(activity, bins=bins, histtype="step", lw=2.4 - 0.6 * k, label=name, color=f"C{k}")
        if k == 1:  # the earlier defaults pile up at 1: say how many instead of letting them set the scale
            left.annotate(f"{np.mean(activity >= 0.95):.0%} at 0.95 or more\n(off the scale)", xy=(0.975, 0.98),
                          xycoords=("data", "axes fraction"), xytext=(0.99, 0.66), ha="right",
                          textcoords=("data", "axes fraction"), color="C1", fontsize=8,
                          arrowprops={"arrowstyle": "->", "color": "C1"})
        else:
            tallest = max(tallest, float(counts.max()))
        x = np.array([0, 1]) + (k - 1) * 0.08
        right.errorbar(x, [low.value, high.value], yerr=[[low.value - low.low, high.value - high.low],
                                                          [low.high - low.value, high.high - high.value]],
                       marker="o", capsize=4, color=f"C{k}", label=name)
    left.set_ylim(0, tallest * 1.6)
    left.set(xlabel="members' mean engagement after funding (per initiative)", ylabel="initiatives",
             title="How active members are (dashed: the target interval)")
    left.legend(fontsize=8, loc="upper left")
    right.set(xticks=[0, 1], xticklabels=["less active half", "more active half"], ylim=(0, 1.05),
              ylabel="share operating 48 months after funding",
              title="Do initiatives with more active members outlive the others?")
    right.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    fig.savefig(FIGURE, dpi=110)
    print(f"figure: {FIGURE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
