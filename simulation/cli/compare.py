"""``leadsim compare FILE FILE...``: scenarios on common random numbers, paired against the first."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from simulation.problems import ScenarioFileError

from ._shared import UsageError, add_run_options, fmt, seeds_text

if TYPE_CHECKING:
    import pandas as pd

    from simulation.scenario_files import ScenarioSource

HELP = "compare scenarios on common random numbers (paired differences with 95%% CIs)"
DESCRIPTION = """\
Run two or more scenario files with the same seeds (replication r of every scenario uses seed S + r, so they
share people, network and random draws except where their mechanisms differ), then print, per scenario, the
change in final community result against the FIRST file with a 95% confidence interval from the paired
differences (t-interval), the people reached, the money spent, and the cost per point (extra money per +0.01 of
community result). Writes a results folder like `leadsim run` plus comparison.csv and figures/compare.png.

All files must have the same horizon (months) and distinct names. Replications and seed come from the options,
else from the first file.

examples:
  leadsim compare scenarios/baseline.yaml scenarios/leader_vs_leadership/leader.yaml
  leadsim compare scenarios/baseline.yaml scenarios/interventions/*.yaml -r 10 -w 2 --out results/all"""


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("compare", help=HELP, description=DESCRIPTION,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="+", metavar="FILE", help="scenario files; the first is the reference")
    add_run_options(parser, "results/compare_<names>")
    parser.set_defaults(func=execute_compare)


def execute_compare(args: argparse.Namespace) -> int:
    from ._running import default_out, execute, files_written, load_all

    if len(args.files) < 2:
        raise UsageError("compare needs at least two scenario files (the first is the reference)")
    sources = load_all(args.files, args.overrides)
    check_comparable(sources)
    names = [s.scenario.name for s in sources]
    _, folder, run = execute(sources, args, "compare", args.out or default_out(names))
    if not args.quiet:
        print(report(run["comparison"], run))
        print(f"figure: {folder / 'figures' / 'compare.png'}")
        print(run["where"])
        print(f"  files: {files_written(folder)}")
    return 0


def check_comparable(sources: list[ScenarioSource]) -> None:
    """Same horizon and distinct names, or the pairs would not mean anything."""
    first = sources[0]
    for source in sources[1:]:
        if source.scenario.months != first.scenario.months:
            raise ScenarioFileError.one(
                source.path, f"{source.scenario.months} months, but {first.path} has {first.scenario.months}. "
                             "Allowed: the same horizon in every compared file (or --set months=N)",
                field="months", line=source.lines.get(("months",)))
    seen: dict[str, str] = {}
    for source in sources:
        name = source.scenario.name
        if name in seen:
            raise ScenarioFileError.one(source.path, f"the name {name!r} is also the name of {seen[name]}. "
                                                     "Allowed: a distinct name per compared file",
                                        field="name", line=source.lines.get(("name",)))
        seen[name] = source.path


def report(comparison: pd.DataFrame, run: dict) -> str:
    reps = run["replications"]
    reference = comparison["scenario"].iloc[0]
    month = int(comparison["month"].iloc[0])
    lines = [f"Paired comparison on common random numbers: {reps} replication{'s' if reps > 1 else ''} "
             f"({seeds_text(run['seed'], reps)}), month {month}, {run['duration_seconds']:.1f} s",
             f"  {'scenario':<28}{'result':>8}  {'change vs ' + reference:<34}{'reached':>9}{'spent':>12}"
             f"{'cost/+0.01':>13}"]
    for k, row in comparison.iterrows():
        if k == 0:
            change = "(reference)"
        elif reps > 1:
            change = f"{row["change"]:+.5f} [{row["ci_low"]:+.5f}, {row["ci_high"]:+.5f}]"
        else:
            change = f"{row["change"]:+.5f} (CI needs 2+ replications)"
        lines.append(f"  {row['scenario'][:27]:<28}{row['final_result']:>8.4f}  {change:<34}"
                     f"{fmt(row['people_reached'], 0):>9}{fmt(row['cost_spent'], 0):>12}"
                     f"{'dominates' if row['dominates'] else fmt(row['cost_per_point'], 0):>13}")
    return "\n".join(lines)
