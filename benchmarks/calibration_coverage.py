"""Coverage of the calibrator: synthetic targets from several known parameter values, and how often the
posterior's 90% interval contains the truth.

    .venv/bin/python benchmarks/calibration_coverage.py                    # 6 truths (about 3 minutes on 2 cores)
    .venv/bin/python benchmarks/calibration_coverage.py --truths 0.5 0.9 --population 60 --keep /tmp/coverage

For each true training effect size, the L2L-like cohort (simulation.measures.cohort_effects, 300 people) is measured
at that value on seeds of its own; an evidence file of the script's own holds l2l.learning and l2l.transfer as
those measurements +- MARGIN. A calibration fits the effect size and leaders' support of their teams (which moves
transfer) plus community.complementarity, which neither target reads, from uniform priors. Printed per truth:
the posterior median and 90% interval of each parameter, whether it contains the truth, and the width ratio to the
prior (complementarity should stay near 1: not constrained). The figure (coverage.png in the kept folder, or a
temporary one) shows each truth against its posterior interval.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import numpy as np
import yaml

from simulation import measures
from simulation.calibration.calibrate import calibrate
from simulation.calibration.spec import load_calibration
from simulation.plots import COLORS, _new, save

EFFECT = "interventions.individual_training.params.effect_size"
SUPPORT = "learning.leader_support"
UNRELATED = "community.complementarity"
SUPPORT_TRUTH = 1.2
MARGIN = 0.04
PEOPLE = 300


def synthetic_case(folder: Path, truth: float, args: argparse.Namespace) -> Path:
    values = {EFFECT: truth, SUPPORT: SUPPORT_TRUTH}
    measured = measures.measure_targets(["l2l.learning", "l2l.transfer"], seeds=(901, 902, 903), people=PEOPLE,
                                        values=values)
    rows = [{"id": i, "quantity": "synthetic", "unit": "sd", "source": "coverage script", "checked": True,
             "interval": [m.value - MARGIN, m.value + MARGIN],
             "measure": {"runs": "the cohort", "measurement": i}} for i, m in measured.items()]
    (folder / "evidence.yaml").write_text(yaml.safe_dump({"version": 1, "targets": rows}))
    spec = {"name": "coverage", "evidence": "evidence.yaml", "people": PEOPLE,
            "parameters": {EFFECT: {"prior": "uniform", "low": 0.3, "high": 1.3},
                           SUPPORT: {"prior": "uniform", "low": 0.5, "high": 2.0},
                           UNRELATED: {"prior": "uniform", "low": 0.1, "high": 0.9}},
            "targets": ["l2l.learning", "l2l.transfer"], "seeds": 2, "population": args.population,
            "generations": args.generations, "predictive": 0, "seed": args.seed}
    path = folder / "coverage.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False))
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--truths", type=float, nargs="+", default=[0.45, 0.6, 0.75, 0.9, 1.05, 1.2])
    parser.add_argument("--population", type=int, default=50)
    parser.add_argument("--generations", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", help="folder for the calibrations and the figure (default: a temporary one)")
    args = parser.parse_args()
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="calibration-coverage-"))
    work.mkdir(parents=True, exist_ok=True)
    rows = []
    for truth in args.truths:
        folder = work / f"truth-{truth:g}"
        folder.mkdir(exist_ok=True)
        outcome = calibrate(load_calibration(synthetic_case(folder, truth, args)), folder / "out", args.workers)
        table = outcome.summary.set_index("parameter")
        for path, true in ((EFFECT, truth), (SUPPORT, SUPPORT_TRUTH), (UNRELATED, None)):
            r = table.loc[path]
            inside = "" if true is None else ("inside" if r["low"] <= true <= r["high"] else "OUTSIDE")
            rows.append((truth, path, true, r["median"], r["low"], r["high"], r["width_ratio"]))
            print(f"truth {truth:<5g} {path:<52} median {r['median']:.3f} 90% [{r['low']:.3f}, {r['high']:.3f}] "
                  f"width ratio {r['width_ratio']:.2f} {inside}", flush=True)
    effect = [r for r in rows if r[1] == EFFECT]
    covered = sum(r[4] <= r[2] <= r[5] for r in effect)
    print(f"effect size: the 90% interval contains the truth in {covered} of {len(effect)} cases; complementarity's "
          f"width ratio {np.mean([r[6] for r in rows if r[1] == UNRELATED]):.2f} on average (1 = the prior's)")
    fig = _new((6.5, 4.0))
    ax = fig.add_subplot()
    for truth, _, _true, median, low, high, _ in effect:
        ax.plot([truth, truth], [low, high], color=COLORS[0], lw=3, alpha=0.7)
        ax.plot(truth, median, "o", color=COLORS[0])
    lims = [min(args.truths) - 0.1, max(args.truths) + 0.1]
    ax.plot(lims, lims, "--", color=COLORS[1], label="truth")
    ax.set(xlabel="true effect size", ylabel="posterior median and 90% interval",
           title=f"Calibrator coverage: {covered} of {len(effect)} intervals contain the truth")
    ax.legend()
    print(f"figure: {save(fig, work / 'coverage.png')}")


if __name__ == "__main__":
    main()
