"""``leadsim run FILE``: run a scenario's replications and write a results folder."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from ._shared import add_run_options, posterior_lines, seeds_text

if TYPE_CHECKING:
    import pandas as pd

    from simulation.core.scenario import Scenario

HELP = "run a scenario's replications and write a results folder"
DESCRIPTION = """\
Run the replications of one scenario file (replication r uses seed S + r, in parallel with --workers), show a
progress bar, print a short summary and write a results folder: metrics.parquet (every metric, every month,
every run), summary.csv (one row per run), manifest.json (versions, git commit, the scenario as given and as
resolved, its hash, seeds, times), scenario.yaml (the resolved scenario, runnable again) and figures/*.png.

The folder appears only when complete (it is built in a hidden sibling and renamed); an interrupted or failed run
leaves nothing. Earlier results are never replaced silently: if the folder holds an earlier run, the new one goes
to results/NAME-2 (-3, ...) and the last line says so; --overwrite replaces it instead. Any folder leadsim did not
write as a run folder is refused and left untouched.

examples:
  leadsim run scenarios/baseline.yaml
  leadsim run scenarios/interventions/individual_training.yaml --replications 20 --workers 2 --out results/l2l
  leadsim run scenarios/large_community.yaml --set months=24 --seed 7"""

SUMMARY_METRICS = [
    ("community_result", "community result"),
    ("engaged_share", "engaged share"),
    ("mean_capacity", "mean capacity"),
    ("mean_collective_capacity", "collective capacity"),
    ("org_practice", "organizational practice"),
    ("bridging_ties", "bridging ties"),
    ("initiatives_active", "initiatives active"),
    ("initiatives_scaled", "initiatives scaled"),
    ("people_reached", "people reached"),
    ("cost_spent", "cost spent"),
]


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("run", help=HELP, description=DESCRIPTION,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", metavar="FILE", help="scenario file (YAML), e.g. scenarios/baseline.yaml")
    add_run_options(parser, "results/<scenario name>")
    parser.set_defaults(func=execute_run)


def execute_run(args: argparse.Namespace) -> int:
    from ._running import default_out, execute, files_written, load_all

    sources = load_all([args.file], args.overrides)
    scenario = sources[0].scenario
    tables, folder, run = execute(sources, args, "run", args.out or default_out([scenario.name]))
    if not args.quiet:
        print(summary(tables[0], scenario, run))
        print(run["where"])
        print(f"  files: {files_written(folder)}")
    return 0


def summary(table: pd.DataFrame, scenario: Scenario, run: dict) -> str:
    """A few lines: what ran, then key metrics at the start and the end (mean and 95% interval across runs, as
    :mod:`simulation.summaries` writes them), and the money spent against the budget."""
    from simulation.summaries import show, show_summary, summarize

    reps, months = run["replications"], int(table["month"].max())
    workers = f"{run['workers']} worker{'s' if run['workers'] > 1 else ''}"
    lines = [f"{table['scenario'].iloc[0]}: {scenario.population.people:,} people, {months} months, {reps} "
             f"replication{'s' if reps > 1 else ''} ({seeds_text(run['seed'], reps)}), {workers}, "
             f"{run['duration_seconds']:.1f} s",
             *posterior_lines(run),
             f"  {'':<26}{'month 0':>10}   month {months} (mean{' [95% interval]' if reps > 1 else ''})"]
    for metric, label in SUMMARY_METRICS:
        rows = table[table["metric"] == metric]
        if rows.empty:
            continue
        start = rows[rows["month"] == 0]["value"].mean()
        end = summarize(rows[rows["month"] == months].sort_values("replication")["value"].to_numpy(), metric)
        text = show_summary(end, metric)
        if metric == "cost_spent":
            text += budget_text(end.mean, scenario.budget)
        lines.append(f"  {label:<26}{show(start, metric):>10}   {text}")
    return "\n".join(lines)


def budget_text(spent: float, budget: float | None) -> str:
    """``  of a budget of 400,000 (90%; 40,000 unspent)``, or that the scenario has none."""
    if budget is None:
        return "  (no budget set)"
    if budget <= 0:
        return f"  of a budget of {budget:,.0f}"
    return f"  of a budget of {budget:,.0f} ({spent / budget:.0%}; {budget - spent:,.0f} unspent)"
