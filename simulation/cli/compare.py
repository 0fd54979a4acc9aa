"""``leadsim compare FILE FILE...``: scenarios on common random numbers, paired against the first."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from simulation.problems import Problem, ScenarioFileError, line_at

from ._shared import UsageError, add_run_options, posterior_lines, seeds_text

if TYPE_CHECKING:
    import pandas as pd

    from simulation.scenario_files import ScenarioSource

HELP = "compare scenarios on common random numbers (paired differences with 95%% CIs)"
DESCRIPTION = """\
Run two or more scenario files with the same seeds (replication r of every scenario uses seed S + r, so they
share people, network and random draws except where their mechanisms differ), then print, per scenario, the
change in final community result against the FIRST file in points (1 point = 0.01 of the result) with a 95%
confidence interval from the paired differences (t-interval), a verdict (ahead or behind only when the interval
excludes 0, else unclear), the people reached, the money spent, and the cost per point (extra money per point
gained, for a clear gain that costs more). Writes a results folder like `leadsim run` plus comparison.csv and
figures/compare.png.

All files must describe the same community (population) and horizon (months), and have distinct names: pairs
mean nothing otherwise, so a difference is refused (exit 2) naming each field. Replications and seed come from
the options, else from the first file (a warning names a file whose own seed or replications are not used).

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
    for note in ignored_settings(sources, args):
        print(f"leadsim: warning: {note}", file=sys.stderr)
    names = [s.scenario.name for s in sources]
    _, folder, run = execute(sources, args, "compare", args.out or default_out(names))
    if not args.quiet:
        print(report(run["comparison"], run))
        print(f"figure: {folder / 'figures' / 'compare.png'}")
        print(run["where"])
        print(f"  files: {files_written(folder)}")
    return 0


def check_comparable(sources: list[ScenarioSource]) -> None:
    """The same community (population) and horizon, and distinct names, or the pairs would not mean anything:
    every difference is reported, at its line in its file."""
    from simulation.compare import pairing_problems

    first = sources[0]
    problems = []
    for k, path, what in pairing_problems([s.scenario for s in sources]):
        source = sources[k]
        loc = tuple(path.split("."))
        problems.append(Problem(source.path, f"{what} ({first.path}). Allowed: the same community (population) "
                                             "and horizon (months) in every compared file, since paired differences "
                                             "on common random numbers mean nothing otherwise; give them the same "
                                             f"values, or --set {path}=VALUE for all", path, line_at(source.lines,
                                                                                                      loc)))
    seen: dict[str, str] = {}
    for source in sources:
        name = source.scenario.name
        if name in seen:
            problems.append(Problem(source.path, f"the name {name!r} is also the name of {seen[name]}. Allowed: a "
                                                 "distinct name per compared file", "name",
                                    source.lines.get(("name",))))
        seen[name] = source.path
    if problems:
        raise ScenarioFileError(problems)


def ignored_settings(sources: list[ScenarioSource], args: argparse.Namespace) -> list[str]:
    """Seeds and replications that files after the first give but the comparison does not use (every scenario
    runs on the same seeds: those of the options, else the first file's)."""
    first = sources[0].scenario
    notes = []
    for field, option in (("seed", args.seed), ("replications", args.replications)):
        if option is not None:
            continue
        used = getattr(first, field)
        for source in sources[1:]:
            mine = getattr(source.scenario, field)
            if mine != used:
                notes.append(f"{source.path}: {field} {mine} is not used: every compared scenario runs with the "
                             f"first file's {field} {used} (common random numbers); give --{field} to choose")
    return notes


def report(comparison: pd.DataFrame, run: dict) -> str:
    """The paired comparison as a table: changes in points with their 95% interval, the verdict, money."""
    from simulation.summaries import POINTS_NOTE, points, show

    reps = run["replications"]
    reference = comparison["scenario"].iloc[0]
    month = int(comparison["month"].iloc[0])
    lines = [f"Paired comparison on common random numbers: {reps} replication{'s' if reps > 1 else ''} "
             f"({seeds_text(run['seed'], reps)}), month {month}, {run['duration_seconds']:.1f} s",
             f"  change vs {reference} in points ({POINTS_NOTE}) with its paired 95% interval; ahead or "
             "behind: the interval excludes 0",
             *posterior_lines(run),
             f"  {'scenario':<28}{'result':>8}  {'change [95% interval]':<26}{'verdict':<10}{'reached':>9}"
             f"{'spent':>12}{'per point':>12}"]
    for k, row in comparison.iterrows():
        if k == 0:
            change, verdict = "(reference)", ""
        elif reps > 1:
            change = f"{points(row['change'])} [{points(row['ci_low'])}, {points(row['ci_high'])}]"
            verdict = row["verdict"]
        else:
            change, verdict = f"{points(row['change'])} (no interval)", "unclear"
        lines.append(f"  {row['scenario'][:27]:<28}{row['final_result']:>8.3f}  {change:<26}{verdict:<10}"
                     f"{show(row['people_reached'], 'people_reached'):>9}{show(row['cost_spent'], 'cost_spent'):>12}"
                     f"{per_point(row):>12}")
    return "\n".join(lines)


def per_point(row: pd.Series) -> str:
    """The extra money per point gained: a price only for a clear gain that costs more; never 0."""
    if row["verdict"] in ("reference", ""):
        return ""
    if row["verdict"] != "ahead":
        return "-"
    if row["extra_cost"] <= 0:
        return "no extra"
    return f"{row['cost_per_point']:,.0f}" if row["cost_per_point"] >= 1 else f"{row['cost_per_point']:.2g}"
