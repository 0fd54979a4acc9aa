"""The mutation check: does the validation suite catch a wrong mechanism?

For each mutation in :data:`MUTATIONS` (one exact source edit), this copies the repository's tracked files
(``git ls-files``) to a temporary folder, applies the edit there, runs ``pytest -q tests/validation`` in the copy
(``PYTHONPATH`` at the copy, a fresh ``NUMBA_CACHE_DIR`` inside it, so no compiled kernel crosses copies) and
deletes the copy. It first runs the unmutated copy, the reference, and then prints a table: mutation -> the
validation tests that failed, and which of them pass on the reference (the ones the mutation is caught by).

Exit status 1 when a mutation is caught by no test that passes on the reference (with a green reference, that is
a mutation that leaves the suite green), when an edit's text is not found exactly once (a mutation must never
silently do nothing), or when the suite cannot run on a mutant (exit status other than 0 or 1). Otherwise 0.

    python tests/mutations.py                 # every mutation (make mutations); about a minute a copy
    python tests/mutations.py --only inertia_600_months --no-reference
    python tests/mutations.py --values        # also each measure's mean in each copy

The mutations are data: the lead re-points one by changing its ``old``/``new`` text here, nowhere else.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUITE = "tests/validation"


@dataclass(frozen=True)
class Mutation:
    """One wrong mechanism: replace ``old`` (which must occur exactly once in ``file``) with ``new``."""

    name: str
    file: str
    old: str
    new: str
    note: str = ""


MUTATIONS: tuple[Mutation, ...] = (
    Mutation("impact_x30", "simulation/core/scenario.py",
             "impact: float = param(0.3, ge=0.0, le=1.0,",
             "impact: float = param(9.0, ge=0.0, le=10.0,",
             "initiatives.impact default 0.3 -> 9.0 (its range widened so the default validates)"),
    Mutation("org_learning_div100", "simulation/core/scenario.py",
             "org_learning_rate: float = param(0.05, ge=0.0, le=1.0,",
             "org_learning_rate: float = param(0.0005, ge=0.0, le=1.0,",
             "learning.org_learning_rate default 0.05 -> 0.0005"),
    Mutation("inertia_600_months", "simulation/core/scenario.py",
             "inertia_months: float = param(24.0, ge=1.0, le=600.0,",
             "inertia_months: float = param(600.0, ge=1.0, le=600.0,",
             "community.inertia_months default 24 -> 600"),
    Mutation("attention_never_lost", "simulation/core/initiatives.py",
             "loss = prm.attention_loss * (1 - attention) + (",
             "loss = 0.0 * prm.attention_loss * (1 - attention) + (",
             "initiatives._advance: the attention term of the momentum loss removed"),
    Mutation("whole_org_reach_no_transfer", "simulation/core/initiatives.py",
             "applied = (1.0 - miss[counted]) * p.practice[:n][counted]",
             "applied = (np.isin(p.org[:n][counted], np.flatnonzero(np.stack([i.adopters for i in active]).any(0)))"
             " | (1.0 - miss[counted] > 0)).astype(float)",
             "lever_contributions: everyone in an adopting organization (or a member) counts fully, with neither "
             "the momentum-based exposure nor the transfer factor filtering it"),
    Mutation("training_effect_div10", "simulation/core/interventions/params/individual_training.py",
             "effect_size: float = param(0.73, ge=0.0, le=5.0,",
             "effect_size: float = param(0.073, ge=0.0, le=5.0,",
             "individual_training effect_size default 0.73 -> 0.073"),
)
"""The mutations the issue asks for (#12); each ``note`` says what the edit does."""


class MutationError(RuntimeError):
    """A mutation cannot be applied as written (its text is not found exactly once)."""


@dataclass
class Outcome:
    """A suite run: pytest's exit status, the failed test ids and pytest's closing line."""

    status: int
    failed: list[str]
    summary: str
    values: dict[str, str] = field(default_factory=dict)
    """With ``--values``: each evidence id's measured mean in the copy (``python -m simulation.measures``)."""


def tracked_files(repo: Path) -> list[str]:
    """The repository's tracked files (those present in the work tree)."""
    out = subprocess.run(["git", "-C", str(repo), "ls-files", "-z"], check=True, capture_output=True).stdout
    return [name for name in out.decode().split("\0") if name and (repo / name).is_file()]


def copy_tree(repo: Path, dest: Path) -> None:
    """Copy the tracked files of ``repo`` into ``dest`` (their work-tree contents)."""
    for name in tracked_files(repo):
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(repo / name, target)


def check(mutation: Mutation, root: Path) -> str:
    """The text of the mutation's file under ``root``; raise :class:`MutationError` unless ``old`` occurs there
    exactly once and ``new`` differs from it."""
    path = root / mutation.file
    if not path.is_file():
        raise MutationError(f"{mutation.name}: {mutation.file} does not exist")
    text = path.read_text()
    count = text.count(mutation.old)
    if count != 1:
        raise MutationError(f"{mutation.name}: {mutation.old!r} occurs {count} times in {mutation.file} "
                            "(must be exactly once: re-point the mutation)")
    if mutation.new == mutation.old:
        raise MutationError(f"{mutation.name}: the new text is the old one")
    return text


def apply(mutation: Mutation, root: Path) -> None:
    """Edit the copy at ``root`` (see :func:`check`)."""
    text = check(mutation, root)
    (root / mutation.file).write_text(text.replace(mutation.old, mutation.new))


def copy_env(root: Path) -> dict[str, str]:
    """The environment of a run in the copy: its own PYTHONPATH and kernel cache (made on first use)."""
    cache = root / ".numba-cache"
    cache.mkdir(exist_ok=True)
    return {**os.environ, "PYTHONPATH": str(root), "NUMBA_CACHE_DIR": str(cache)}


def measured_values(root: Path) -> dict[str, str]:
    """Each evidence id's measured mean in the copy at ``root`` (its ``python -m simulation.measures``)."""
    done = subprocess.run([sys.executable, "-m", "simulation.measures"], cwd=root, env=copy_env(root),
                          capture_output=True, text=True)
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else str(done.returncode)}
    pairs = (line.split(": ", 1) for line in done.stdout.splitlines() if ": " in line)
    return {key: value.split(" ")[0] for key, value in pairs}


def run_suite(root: Path, pytest_args: list[str]) -> Outcome:
    """``pytest -q tests/validation`` in the copy at ``root``, with its own PYTHONPATH and kernel cache."""
    env = copy_env(root)
    cmd = [sys.executable, "-m", "pytest", "-q", "-rfE", "-p", "no:cacheprovider", SUITE, *pytest_args]
    done = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True)
    failed = re.findall(r"^(?:FAILED|ERROR) (\S+)", done.stdout, flags=re.MULTILINE)
    lines = [line for line in done.stdout.strip().splitlines() if line.strip()]
    return Outcome(done.returncode, sorted(set(failed)), lines[-1] if lines else done.stderr.strip()[-200:])


def run_copy(repo: Path, mutation: Mutation | None, pytest_args: list[str], values: bool = False) -> Outcome:
    """Copy, mutate (unless ``mutation`` is None), run the suite (and the measures), delete the copy."""
    with tempfile.TemporaryDirectory(prefix="leadsim-mutation-") as tmp:
        root = Path(tmp)
        copy_tree(repo, root)
        if mutation is not None:
            apply(mutation, root)
        outcome = run_suite(root, pytest_args)
        if values:
            outcome.values = measured_values(root)
        return outcome


def short(test_id: str) -> str:
    return test_id.rsplit("::", 1)[-1]


def report(reference: Outcome | None, outcomes: dict[str, Outcome]) -> int:
    """Print the table; return the exit status (see the module docstring)."""
    base = set(reference.failed) if reference else set()
    status = 0
    if reference is not None:
        print(f"reference (unmutated): {reference.summary}")
        for test in reference.failed:
            print(f"    fails already: {short(test)}")
    print(f"\n{'mutation':30} {'failed':>6} {'caught':>6}  caught by (tests passing unmutated)")
    for name, outcome in outcomes.items():
        caught = [t for t in outcome.failed if t not in base]
        broken = outcome.status not in (0, 1)
        print(f"{name:30} {len(outcome.failed):6d} {len(caught):6d}  "
              + ("SUITE DID NOT RUN: " + outcome.summary if broken else ", ".join(map(short, caught)) or "-"))
        if broken or not caught:
            status = 1
    for name, outcome in outcomes.items():
        print(f"\n{name}: {outcome.summary}")
        for test in outcome.failed:
            print(f"    {'caught' if test not in base else 'fails already'}: {short(test)}")
    runs = {"reference": reference, **outcomes} if reference else dict(outcomes)
    if any(o.values for o in runs.values()):
        print_values(runs)
    if status:
        print("\nmutation check FAILED: a mutation is caught by no test that passes unmutated, or broke the suite")
    return status


def print_values(runs: dict[str, Outcome]) -> None:
    """The measured mean of every evidence id (rows) in every copy (columns)."""
    ids = list(next(o.values for o in runs.values() if o.values))
    names = list(runs)
    print("\nmeasured means (python -m simulation.measures in each copy; columns: " + ", ".join(
        f"{k + 1} = {name}" for k, name in enumerate(names)) + ")")
    print(f"{'evidence id':30}" + "".join(f"{k + 1:>9}" for k in range(len(names))))
    for evidence_id in ids:
        print(f"{evidence_id:30}" + "".join(f"{runs[n].values.get(evidence_id, '?'):>9}" for n in names))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", choices=[m.name for m in MUTATIONS],
                        help="run only this mutation (repeatable)")
    parser.add_argument("--no-reference", action="store_true", help="skip the unmutated run")
    parser.add_argument("--list", action="store_true", help="list the mutations and exit")
    parser.add_argument("--values", action="store_true",
                        help="also print every measure's mean in every copy (about 20 s more a copy)")
    args, pytest_args = parser.parse_known_args(argv)
    chosen = [m for m in MUTATIONS if not args.only or m.name in args.only]
    if args.list:
        for m in chosen:
            print(f"{m.name}: {m.file}: {m.note}")
        return 0
    for m in chosen:  # every edit must apply, each to the unmutated file, before any suite runs
        try:
            check(m, ROOT)
        except MutationError as error:
            print(f"mutations: error: {error}", file=sys.stderr)
            return 1
    reference = None if args.no_reference else run_copy(ROOT, None, pytest_args, args.values)
    outcomes = {}
    for m in chosen:
        outcomes[m.name] = run_copy(ROOT, m, pytest_args, args.values)
        print(f"{m.name}: {outcomes[m.name].summary}", flush=True)
    return report(reference, outcomes)


if __name__ == "__main__":
    sys.exit(main())
