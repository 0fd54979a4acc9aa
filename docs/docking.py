"""Draw the docking figures of docs/docking.md and print the numbers they show.

* ``docs/figures/docking_march.png``: March's (1991) three directions, on the reference implementation of his
  discrete model (top) and on the model's own organizational learning set up as he did (bottom).
* ``docs/figures/docking_centola.png``: the model's engagement contagion on its own initial network and on a
  degree-preserving randomisation, complex (threshold 2) and simple (threshold 1) contagion.

The set-ups are the tests' (tests/docking/march_setup.py, march_reference.py, centola_setup.py). Usage, from the
repository root (about two minutes on one core)::

    .venv/bin/python docs/docking.py            # both figures
    .venv/bin/python docs/docking.py --only march
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for path in (ROOT, ROOT / "tests" / "docking"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

import matplotlib  # noqa: E402

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from centola_setup import PEOPLE, months_to, networks, paired_curves  # noqa: E402
from march_reference import code_knowledge  # noqa: E402
from march_setup import knowledge_runs  # noqa: E402

FIGURES = ROOT / "docs" / "figures"
P1S = (0.1, 0.3, 0.5, 0.7, 0.9)
P2S = (0.1, 0.5, 0.9)
FAST_SHARES = (0.0, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0)
TURNOVER = (0.0, 0.02, 0.05, 0.1, 0.2, 0.5)
REF_REPS, REF_TURNOVER_REPS, MODEL_SEEDS = 100, 1000, range(40)


def _march_rows() -> dict[str, dict]:
    """Every curve of the March figure: {panel: {label: (x, reference y, model y)}}."""
    rows: dict[str, dict] = {"p1": {}, "mix": {}, "turnover": {}}
    for p2 in P2S:
        ref = [code_knowledge(p1, p2, reps=REF_REPS).mean() for p1 in P1S]
        mod = [knowledge_runs(p1, p2, MODEL_SEEDS).mean() for p1 in P1S]
        rows["p1"][f"p2 = {p2}"] = (P1S, ref, mod)
    ref = [code_knowledge(0.1, 0.5, n_fast=round(50 * s), reps=2 * REF_REPS).mean() for s in FAST_SHARES]
    mod = [knowledge_runs(0.1, 0.5, MODEL_SEEDS, fast_learner_share=s, fast_socialization_rate=0.9).mean()
           for s in FAST_SHARES]
    rows["mix"]["slow 0.1 + fast 0.9"] = (FAST_SHARES, ref, mod)
    means = [0.1 + 0.8 * s for s in FAST_SHARES]  # homogeneous at the same mean rate
    ref = [code_knowledge(p, 0.5, reps=2 * REF_REPS).mean() for p in means]
    mod = [knowledge_runs(p, 0.5, MODEL_SEEDS).mean() for p in means]
    rows["mix"]["homogeneous, same mean"] = (FAST_SHARES, ref, mod)
    for p1 in (0.1, 0.5, 0.9):
        ref = [code_knowledge(p1, 0.5, p3=p3, periods=20, reps=REF_TURNOVER_REPS).mean() for p3 in TURNOVER]
        mod = [knowledge_runs(p1, 0.5, range(100), p3=p3, periods=20).mean() for p3 in TURNOVER]
        rows["turnover"][f"p1 = {p1}"] = (TURNOVER, ref, mod)
    return rows


def march_figure() -> None:
    rows = _march_rows()
    fig, axes = plt.subplots(2, 3, figsize=(13, 7.5), sharex="col")
    titles = {"p1": "1. Socialization rate (equilibrium)", "mix": "2. Share of fast learners, p2 = 0.5",
              "turnover": "3. Turnover, period 20, p2 = 0.5"}
    xlabels = {"p1": "socialization rate p1", "mix": "share of fast learners (p1 0.9; others 0.1)",
               "turnover": "turnover p3 per period"}
    for col, panel in enumerate(("p1", "mix", "turnover")):
        for label, (x, ref, mod) in rows[panel].items():
            axes[0, col].plot(x, ref, marker="o", label=label)
            axes[1, col].plot(x, mod, marker="o", label=label)
            print(f"{panel:9s} {label:24s} x={list(x)}\n  reference {np.round(ref, 3).tolist()}\n"
                  f"  model     {np.round(mod, 3).tolist()}")
        axes[0, col].set_title(titles[panel], fontsize=10)
        axes[1, col].set_xlabel(xlabels[panel])
        axes[0, col].legend(fontsize=8)
    axes[0, 0].set_ylabel("reference: code knowledge\n(share of dimensions right)")
    axes[1, 0].set_ylabel("model: practice level\n(0.5 = neutral code, 1 = reality)")
    fig.suptitle("March (1991) docking: reference of March's discrete model (top) and leadsim's organizational "
                 "learning with code_learning=superior_group, socialization=toward_code (bottom)\n"
                 f"n = 50, m = 30; reference {REF_REPS}-{REF_TURNOVER_REPS} replications, model 40-100 paired "
                 "seeds per point", fontsize=10)
    fig.tight_layout()
    fig.savefig(FIGURES / "docking_march.png", dpi=110)
    plt.close(fig)


def centola_figure(trials: int = 10, focal: int = 2, months: int = 60) -> None:
    graphs = networks()
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.5))
    for ax, threshold, name in ((axes[0], 2, "complex contagion (threshold 2, the default)"),
                                (axes[1], 1, "simple contagion (threshold 1)")):
        run = paired_curves(trials, focal, threshold, months, graphs=graphs)
        for curves, label in ((run.clustered, "model's network (clustered)"),
                              (run.randomised, "degree-preserving randomisation")):
            share = curves / PEOPLE
            line, = ax.plot(np.arange(1, months + 1), share.mean(axis=0), label=label)
            ax.fill_between(np.arange(1, months + 1), share.min(axis=0), share.max(axis=0), alpha=0.15,
                            color=line.get_color())
        half = (months_to(run.clustered, PEOPLE / 2).mean(), months_to(run.randomised, PEOPLE / 2).mean())
        print(f"threshold {threshold}: month {months} engaged, clustered {run.clustered[:, -1].tolist()} "
              f"randomised {run.randomised[:, -1].tolist()}; months to half: {half}")
        ax.set_title(name, fontsize=10)
        ax.set_xlabel("month")
        ax.legend(fontsize=8)
    for ax in axes:
        ax.set_ylabel("share engaged (mean of 10 seed sets; band: min-max)")
    fig.suptitle(f"Centola (2010) docking inside the model's own network: {PEOPLE:,} people, the same "
                 f"{focal} focal people and their contacts seeded in both networks; only spread_engagement runs",
                 fontsize=10)
    fig.tight_layout()
    fig.savefig(FIGURES / "docking_centola.png", dpi=110)
    plt.close(fig)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=("march", "centola"))
    args = parser.parse_args(argv)
    FIGURES.mkdir(parents=True, exist_ok=True)
    if args.only != "centola":
        march_figure()
    if args.only != "march":
        centola_figure()


if __name__ == "__main__":
    main()
