"""Helpers for the end-to-end command-line tests: run `leadsim` in a subprocess, check bad-input answers."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
BASELINE = SCENARIOS / "baseline.yaml"
TRAINING = SCENARIOS / "interventions" / "individual_training.yaml"
NULL = SCENARIOS / "interventions" / "null.yaml"
# Small enough for a test (a fraction of a second per replication), big enough for every mechanism to act.
SMALL = ["--set", "population.people=300", "--set", "months=12"]


def leadsim(*args: object, cwd: Path, env: dict[str, str] | None = None,
            timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run ``python -m simulation.cli ARGS`` in ``cwd`` and capture its output."""
    full_env = {**os.environ, "COLUMNS": "120", **(env or {})}
    return subprocess.run([sys.executable, "-m", "simulation.cli", *map(str, args)], cwd=cwd, env=full_env,
                          capture_output=True, text=True, timeout=timeout)


def tree(folder: Path) -> set[str]:
    """Every path under ``folder`` (hidden ones included), relative."""
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")}


def assert_refused(result: subprocess.CompletedProcess[str], *names: str) -> None:
    """Bad input: exit status 2, no traceback, and the message names each of ``names`` (file, field...)."""
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.stderr.startswith("leadsim: error:"), result.stderr
    for name in names:
        assert name in result.stderr, (name, result.stderr)


@contextlib.contextmanager
def tmpfs(where: Path, options: str) -> Iterator[Path]:
    """A tmpfs mounted at ``where`` with ``options`` (e.g. ``size=64k`` or ``size=1m,ro``), unmounted afterwards;
    the test is skipped where it cannot be mounted (not root, or no mount permission)."""
    where.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)], capture_output=True,
                             check=False)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "--lazy", str(where)], check=True)  # lazy: a file a failed write left open
