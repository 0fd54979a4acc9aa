"""Helpers for the studies tests: small study files, a reference table, and bounded waits."""

from __future__ import annotations

import copy
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
EXPERIMENTS = ROOT / "experiments"

# Small enough for a test (a few hundredths of a second per run), big enough for every mechanism to act:
# individual training reaches people, initiatives form, turnover happens within 12 months.
TINY: dict[str, Any] = {
    "name": "tiny",
    "scenario": {"months": 12, "population": {"people": 300}},
    "levers": [
        {"name": "none"},
        {"name": "training", "set": {"budget": 100_000, "interventions": [
            {"type": "individual_training", "params": {"cost_per_participant": 5000}}]}},
    ],
    "uncertainties": {
        "community.complementarity": {"low": 0.1, "high": 0.9},
        "engagement.contagion_threshold": {"low": 1, "high": 4},
    },
    "design": {"method": "morris", "samples": 3, "seed": 3},
    "replications": 2,
    "seed": 11,
    "outputs": [
        {"name": "result", "metric": "community_result"},
        {"name": "gain", "metric": "community_result", "minus": "none"},
        {"name": "engaged", "metric": "engaged_share", "at": "mean"},
        {"name": "cost", "metric": "cost_spent"},
        {"name": "cost_per_point", "ratio": ["cost", "gain"], "per": 0.01},
    ],
    "store": {"shard_runs": 4},
}


def study_data(**changes: Any) -> dict[str, Any]:
    """TINY with top-level keys replaced (``None`` removes a key)."""
    data = copy.deepcopy(TINY)
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def write_study(folder: Path, filename: str = "study.yaml", **changes: Any) -> Path:
    path = folder / filename
    path.write_text(yaml.safe_dump(study_data(**changes), sort_keys=False), encoding="utf-8")
    return path


def wait_until(condition: Callable[[], bool], timeout: float, what: str, step: float = 0.02) -> None:
    """Poll ``condition`` until true; fail the test after ``timeout`` seconds (every wait is bounded)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(step)
    raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")


def shard_count(folder: Path) -> int:
    return len(list((folder / "shards").glob("part-*.parquet"))) if (folder / "shards").is_dir() else 0
