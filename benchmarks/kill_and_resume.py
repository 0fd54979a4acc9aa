"""Kill-and-resume check: a small study SIGKILLed at random moments and resumed, and one with a damaged shard
resumed, must both end bit-identical to the same study run without interruption.

    .venv/bin/python benchmarks/kill_and_resume.py                    # 5 kills, seed 1 (about 2 minutes on 2 cores)
    .venv/bin/python benchmarks/kill_and_resume.py --kills 8 --seed 7 --keep /tmp/kill-check

Each sweep is ``leadsim sweep STUDY --out FOLDER --workers 2`` in its own session; a kill is SIGKILL to that session
(the sweep, its fork server and its workers: nothing can clean up). The first kill comes at a random moment while
the sweep starts (before its first shard); each later one a random 0-1 s after the sweep wrote its first or second
new shard (chosen at random), so kills land while runs finish, while shards are written and between them, and the
study is stopped part-way each time (a kill after the sweep finished would test nothing: the script fails then).
After the kills the same command runs to the end. Compared with the uninterrupted folder: ``read_table`` (every
value, exactly) and outputs.csv, outputs_mean.csv and sensitivity.csv byte for byte; no temporary file left. Then a
copy of the finished folder has bytes in the middle of one shard's column data inverted (footer intact), is resumed,
and is compared the same way; the damaged shard must be in damaged/ and named in a warning.
Exit status 0 when everything matches, 1 otherwise.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

STUDY = {"scenario": {"months": 24, "population": {"people": 1000}},
         "uncertainties": {"community.complementarity": {"low": 0.1, "high": 0.9},
                           "engagement.contagion_threshold": {"low": 1, "high": 4},
                           "network.triadic_closure": {"low": 0.1, "high": 0.5}},
         "design": {"method": "morris", "samples": 16, "seed": 3}, "store": {"shard_runs": 2}}
"""The tests' tiny study (two levers, two replications, five outputs), larger: 256 runs, 168 distinct."""
COMPARED = ("outputs.csv", "outputs_mean.csv", "sensitivity.csv")


def command(study: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "simulation.cli", "sweep", str(study), "--out", str(out), "--workers", "2", "-q"]


def run(study: Path, out: Path, kill: tuple[int, float] | None = None) -> tuple[int, str, float]:
    """One sweep; with ``kill = (n, delay)``, SIGKILL its whole session ``delay`` seconds after its n-th new shard
    appeared (n = 0: after its start). Returns its exit status, its stderr and when its first shard appeared."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    started, first, reached = time.perf_counter(), float("nan"), None
    before = shards(out)
    with tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(command(study, out), cwd=out.parent, env=env, stdout=subprocess.DEVNULL,
                                stderr=err, text=True, start_new_session=True)
        deadline = started + 600
        while proc.poll() is None and time.perf_counter() < deadline:
            now, new = time.perf_counter(), shards(out) - before
            if first != first and new > 0:
                first = now - started
            if kill is not None and reached is None and new >= kill[0]:
                reached = now
            if reached is not None and now - reached >= kill[1]:  # type: ignore[index]
                break
            time.sleep(0.01)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)
        err.seek(0)
        return proc.returncode, err.read(), first


def shards(folder: Path) -> int:
    return len(list((folder / "shards").glob("part-*.parquet"))) if (folder / "shards").is_dir() else 0


def same(study: Path, reference: Path, folder: Path) -> list[str]:
    """What differs between two finished study folders (empty: bit-identical)."""
    import pandas as pd

    from simulation.studies import read_table

    problems = []
    try:
        pd.testing.assert_frame_equal(read_table(study, folder), read_table(study, reference), check_exact=True)
    except (AssertionError, Exception) as exc:  # noqa: BLE001 - any difference is a failed check
        problems.append(f"read_table differs: {type(exc).__name__}: {str(exc)[:300]}")
    for name in COMPARED:
        if (folder / name).read_bytes() != (reference / name).read_bytes():
            problems.append(f"{name} differs")
    left = [p for p in folder.rglob(".tmp-*")]
    if left:
        problems.append(f"temporary files left: {left}")
    return problems


def damage(shard: Path) -> None:
    data = bytearray(shard.read_bytes())
    footer = int.from_bytes(data[-8:-4], "little")
    middle = (4 + len(data) - 8 - footer) // 2
    data[middle:middle + 16] = bytes(b ^ 0xFF for b in data[middle:middle + 16])
    shard.write_bytes(bytes(data))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kills", type=int, default=5, help="SIGKILLs before the final resume (default 5)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the kill moments (default 1)")
    parser.add_argument("--keep", metavar="DIR", help="work in DIR and keep it (default: a temporary folder)")
    args = parser.parse_args()
    from studies_support import study_data

    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="kill-and-resume-"))
    work.mkdir(parents=True, exist_ok=True)
    study = work / "study.yaml"
    study.write_text(yaml.safe_dump(study_data(**STUDY), sort_keys=False), encoding="utf-8")
    reference, killed, damaged = work / "reference", work / "killed", work / "damaged"
    for folder in (reference, killed, damaged):
        shutil.rmtree(folder, ignore_errors=True)
    failures: list[str] = []

    started = time.perf_counter()
    status, err, first = run(study, reference)
    wall = time.perf_counter() - started
    print(f"uninterrupted: exit {status}, {wall:.1f} s (first shard after {first:.1f} s), {shards(reference)} "
          "shards")
    if status != 0:
        print(err)
        return 1

    rng = random.Random(args.seed)
    for i in range(args.kills):
        kill = (0, rng.uniform(0, first)) if i == 0 else (rng.randint(1, 2), rng.uniform(0, 1.0))
        status, _, _ = run(study, killed, kill=kill)
        when = f"{kill[1]:.2f} s after {'its start' if kill[0] == 0 else f'its new shard {kill[0]}'}"
        print(f"kill {i + 1}: SIGKILL {when} -> exit {status}, {shards(killed)} shards on disk")
        if status == 0:
            failures.append(f"kill {i + 1} came after the sweep had finished; use fewer kills")
    status, err, _ = run(study, killed)
    print(f"resume: exit {status}")
    failures += [f"kill-and-resume: {p}" for p in (same(study, reference, killed) if status == 0 else [err])]

    shutil.copytree(reference, damaged)
    shard = sorted((damaged / "shards").glob("part-*.parquet"))[len(list((damaged / "shards").glob("*"))) // 2]
    damage(shard)
    status, err, _ = run(study, damaged)
    moved = (damaged / "damaged" / shard.name).is_file() and not shard.exists()
    named = shard.name in err
    print(f"damaged {shard.name}: resume exit {status}, moved to damaged/: {moved}, named in a warning: {named}")
    if not (moved and named):
        failures.append(f"damaged shard not quarantined or not named: {err}")
    failures += [f"damaged shard: {p}" for p in (same(study, reference, damaged) if status == 0 else [err])]

    for line in failures:
        print(f"FAILED {line}")
    print("bit-identical: kill-and-resume and damaged shard" if not failures else f"{len(failures)} failure(s)")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
