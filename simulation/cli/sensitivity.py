"""``leadsim sensitivity STUDY``: (re)analyse a finished study - indices with intervals, scaling fits, figures."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from ._shared import UsageError, add_posterior_option

if TYPE_CHECKING:
    import pandas as pd

HELP = "analyse a finished study: sensitivity indices with intervals, scaling exponents, figures"
DESCRIPTION = """\
Read the runs of a study that `leadsim sweep` has finished and (re)write its analysis: outputs.csv,
outputs_mean.csv, sensitivity.csv (Morris mu*/mu/sigma, Sobol S1/ST [S2], or for a Latin hypercube first-order
S1 by RBD-FAST [and delta], each with its bootstrap interval) and figures/sensitivity_LEVER.png (bars with
intervals); for a factorial study, figures/main_effects.png; and scaling.csv with figures/scaling.png (and
figures/scaling_cost.png) when the study names a scaling output. Prints the most influential parameters per
output with their intervals, and warns when intervals are too wide for the sample size, saying how many samples
would narrow them.

Nothing is run: if runs are missing, it says how many and exits with status 2 (run `leadsim sweep STUDY`).
`leadsim sweep` does this step itself when its runs complete.

examples:
  leadsim sensitivity experiments/morris.yaml
  leadsim sensitivity experiments/sobol.yaml --out /scratch/me/sobol --top 8"""


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("sensitivity", help=HELP, description=DESCRIPTION,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("study", metavar="STUDY", help="study file (YAML), e.g. experiments/morris.yaml")
    parser.add_argument("--out", "-o", metavar="DIR", help="study folder (default: results/studies/<study name>)")
    parser.add_argument("--top", type=int, default=5, metavar="K", help="parameters shown per output (default 5)")
    add_posterior_option(parser, study=True)
    parser.add_argument("--quiet", "-q", action="store_true", help="print nothing but warnings and errors")
    parser.set_defaults(func=execute_sensitivity)


def execute_sensitivity(args: argparse.Namespace) -> int:
    from simulation.studies import analyse_folder, default_folder, load_study

    if args.top < 1:
        raise UsageError(f"--top {args.top}: give 1 or more")
    study = load_study(args.study, args.posterior)
    folder = args.out or default_folder(study)
    files, notes, missing = analyse_folder(study, folder)
    if missing:
        again = f" --posterior {args.posterior}" if args.posterior else ""
        raise UsageError(f"{folder}: {missing:,} run(s) of study {study.name} are not done yet; run `leadsim sweep "
                         f"{args.study} --out {folder}{again}` first (it resumes)")
    if not args.quiet:
        indices = folder_file(folder, "sensitivity.csv")
        if indices is not None and len(indices):
            print(top_table(indices, args.top, study.spec.analysis.conf_level))
        scaling = folder_file(folder, "scaling.csv")
        if scaling is not None and len(scaling):
            print(scaling_table(scaling))
        print(f"results: {folder}/  ({', '.join(files)})")
    for note in notes:
        print(f"leadsim: warning: {note}", file=sys.stderr)
    return 0


def folder_file(folder, name: str) -> pd.DataFrame | None:
    from pathlib import Path

    from simulation.studies.sweep import read_study_csv

    path = Path(folder) / name
    return read_study_csv(path) if path.is_file() else None


MAIN_INDEX = {"sobol": ("ST", "total ST"), "morris": ("mu_star", "mu*"), "latin": ("S1", "first-order S1, RBD-FAST")}
"""The index each method ranks parameters by, and its words."""


def top_table(indices: pd.DataFrame, top: int, conf_level: float = 0.95) -> str:
    """Per lever and output, the ``top`` parameters by their main index (ST, mu* or RBD-FAST S1) with intervals."""
    import pandas as pd  # imported here: `leadsim --help` does not load pandas

    lines = []
    groups = [c for c in indices.columns if c not in ("lever", "output", "method", "parameter", "index", "value",
                                                      "conf", "ci_low", "ci_high")]
    for key, frame in indices.groupby([*groups, "lever", "output"], sort=False):
        method = frame["method"].iloc[0]
        main, words = MAIN_INDEX[method]
        rows = frame[frame["index"] == main].sort_values("value", ascending=False, na_position="last").head(top)
        extra = {"sobol": "S1", "latin": "delta"}.get(method)
        others = frame[frame["index"] == extra].set_index("parameter") if extra else pd.DataFrame()
        label = " ".join(str(k) for k in (key if isinstance(key, tuple) else (key,)))
        shown = f" and {extra}" if len(others) else ""
        lines.append(f"{label}  ({method}: {words}{shown}, {conf_level:.0%} bootstrap interval)")
        for r in rows.itertuples():
            more = f"   {extra} {_with_interval(others.loc[r.parameter])}" if r.parameter in others.index else ""
            lines.append(f"  {r.parameter:<44} {_with_interval(r)}{more}")
    return "\n".join(lines)


def _with_interval(row) -> str:
    """``0.312 [0.251, 0.373]``; an unknown interval (too few samples) is said to be unknown."""
    value, low, high = (float(getattr(row, column)) for column in ("value", "ci_low", "ci_high"))
    if value != value:
        return "unknown (too few samples)"
    interval = f"[{low:.3g}, {high:.3g}]" if low == low and high == high else "(interval unknown)"
    return f"{value:8.3g} {interval}"


def scaling_table(scaling: pd.DataFrame) -> str:
    import pandas as pd

    lines = ["returns to scale (log-log; 95% bootstrap interval):"]
    for r in scaling.itertuples():
        ci = f"[{r.ci_low:.2f}, {r.ci_high:.2f}]" if pd.notna(r.ci_low) else "(no interval)"
        lines.append(f"  {r.lever:<24} {r.term:<24} {r.estimate:7.2f} {ci}  ({r.cells} cells)")
    return "\n".join(lines)
