"""Run keys: what makes two runs the same run, so a study can skip what is already on disk.

A run key is the hash of (the resolved scenario, the seed, the code version). The resolved scenario has every
default filled in, intervention parameters included, and leaves out only what cannot change a number (its name,
description, and the replication count - and the budget of a scenario without interventions, which nothing
reads). So editing a comment in a study, renaming a lever or extending a study
with more points reuses every run already done, while changing any parameter, seed or model code reruns. A study
with a posterior adds the posterior's content hash (and draw rule) to every key: its runs are never mistaken for
runs without it, or with another posterior.

The *code version* hashes the source of the model core (every file under ``simulation/core/``, which imports
nothing outside itself), plus the leadsim, numpy, scipy, mesa and numba versions. The command line, studies, plots
and results code are not part of it: changing them cannot change a run. Workers compute their own code version and
refuse a task made for another (a cluster with mixed checkouts would otherwise mix numbers silently).
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

PACKAGE = Path(__file__).resolve().parent.parent
CORE = PACKAGE / "core"
NOT_IN_KEY = ("name", "description", "replications", "seed")
POSTERIOR = "posterior"
"""The key's member for the posterior a run draws from (no scenario field has this name)."""


@lru_cache(maxsize=1)
def code_version() -> str:
    """``leadsim-VERSION+HASH``: the model's source and the numerical libraries (cached per process)."""
    import numpy
    import scipy

    from simulation import __version__

    digest = hashlib.sha256()
    for path in model_sources():
        digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    digest.update(f"numpy {numpy.__version__} scipy {scipy.__version__} mesa {_version('mesa')} "
                  f"numba {_version('numba')}".encode())
    return f"leadsim-{__version__}+{digest.hexdigest()[:12]}"


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "none"


def model_sources() -> list[Path]:
    """Every Python file of the model core (``simulation/core/``), sorted: all that a run's numbers depend on."""
    return sorted(CORE.rglob("*.py"))


def key_data(resolved: dict[str, Any]) -> dict[str, Any]:
    """The part of a resolved scenario that can change a run's numbers.

    The budget is money for interventions (``Scenario.budget_of``; nothing else reads it), so a scenario without
    interventions has the same runs at every budget: a business-as-usual lever in a study over budgets is run once
    per seed, not once per budget.
    """
    data = {k: v for k, v in resolved.items() if k not in NOT_IN_KEY}
    if not data.get("interventions"):
        data.pop("budget", None)
    return data


def run_key(resolved: dict[str, Any], seed: int, code: str, posterior: str | None = None) -> str:
    """A 24-hex-digit key for (resolved scenario, seed, code version) - and the posterior the run draws from
    (:attr:`simulation.posterior.Posterior.key`: its content hash and draw rule), if any."""
    scenario = key_data(resolved) if posterior is None else {**key_data(resolved), POSTERIOR: posterior}
    text = json.dumps({"scenario": scenario, "seed": int(seed), "code": code}, sort_keys=True,
                      separators=(",", ":"), allow_nan=False)
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def canonical(value: Any) -> str:
    """The JSON text :func:`run_key` writes for ``value`` (sorted keys, no spaces, no NaN)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), allow_nan=False)


def member(name: str, text: str) -> str:
    """One member of a JSON object as :func:`canonical` writes it (``name`` a field name: nothing to escape)."""
    return f'"{name}":{text}'


def run_keys(members: dict[str, str], seeds: list[int], code: str) -> list[str]:
    """:func:`run_key` of one scenario at several seeds, from the members (:func:`member`) of its ``key_data``.

    The same bytes as :func:`run_key` (JSON with sorted keys is the concatenation of its sorted members), so a
    planner can keep the text of the sections a point does not change and hash the scenario once for all its
    seeds: the keys - and with them the reuse of stored runs - do not depend on which function made them.
    """
    body = ",".join([members[name] for name in sorted(members)])
    prefix = hashlib.sha256(f'{{"code":{json.dumps(code)},"scenario":{{{body}}},"seed":'.encode())
    keys = []
    for seed in seeds:
        digest = prefix.copy()
        digest.update(f"{int(seed)}}}".encode())
        keys.append(digest.hexdigest()[:24])
    return keys
