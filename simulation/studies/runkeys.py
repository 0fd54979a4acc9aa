"""Run keys: what makes two runs the same run, so a study can skip what is already on disk.

A run key is the hash of (the resolved scenario, the seed, the code version). The resolved scenario has every
default filled in, intervention parameters included, and leaves out only what cannot change a number (its name,
description, and the replication count - and the budget of a scenario without interventions, which nothing
reads). So editing a comment in a study, renaming a lever or extending a study
with more points reuses every run already done, while changing any parameter, seed or model code reruns.

The *code version* hashes the source of every module the model imports (found by reading the imports of
``simulation/__init__.py`` transitively, and every module of a package that imports its modules dynamically, as
``simulation.interventions`` does), plus the leadsim, numpy and scipy versions. The command line, studies, plots and
results code are not part of it: changing them cannot change a run. Workers compute their own code version and
refuse a task made for another (a cluster with mixed checkouts would otherwise mix numbers silently).
"""

from __future__ import annotations

import ast
import hashlib
import json
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

PACKAGE = Path(__file__).resolve().parent.parent
NOT_IN_KEY = ("name", "description", "replications", "seed")


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
    """Every source file of the ``simulation`` package that importing ``simulation`` loads, sorted."""
    seen: set[Path] = set()
    todo = [PACKAGE / "__init__.py"]
    while todo:
        path = todo.pop()
        if path in seen or not path.is_file():
            continue
        seen.add(path)
        text = path.read_text(encoding="utf-8")
        todo += _imports(path, ast.parse(text))
        if "iter_modules" in text and path.name == "__init__.py":  # a package importing all its modules
            todo += sorted(path.parent.glob("*.py"))
    return sorted(seen)


def _imports(path: Path, tree: ast.AST) -> list[Path]:
    """Files in the package that ``path`` imports (relative or ``simulation.``-absolute imports)."""
    here = path.parent
    found: list[Path] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = here
                for _ in range(node.level - 1):
                    base = base.parent
            elif node.module and node.module.split(".")[0] == "simulation":
                base = PACKAGE.parent
            else:
                continue
            parts = node.module.split(".") if node.module else []
            target = base.joinpath(*parts)
            found += _module_files(target)
            for alias in node.names:  # `from . import community` names modules too
                found += _module_files(target / alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "simulation":
                    found += _module_files(PACKAGE.parent.joinpath(*alias.name.split(".")))
    return found


def _module_files(target: Path) -> list[Path]:
    if target.with_suffix(".py").is_file():
        return [target.with_suffix(".py")]
    if (target / "__init__.py").is_file():
        return [target / "__init__.py"]
    return []


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


def run_key(resolved: dict[str, Any], seed: int, code: str) -> str:
    """A 24-hex-digit key for (resolved scenario, seed, code version)."""
    text = json.dumps({"scenario": key_data(resolved), "seed": int(seed), "code": code}, sort_keys=True,
                      separators=(",", ":"), allow_nan=False)
    return hashlib.sha256(text.encode()).hexdigest()[:24]
