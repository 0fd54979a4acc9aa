"""A calibration's folder: the history that resumes, the posterior, its checks and a manifest - safe to kill.

::

    manifest.json      leadsim's stamp (kind "calibration"), versions (pyabc too), git, the calibration file as
                       given and its SHA-256, the base scenario resolved, targets, priors, status ("running" or
                       "finished"), the generations, and the size and SHA-256 of every other file (when finished)
    history.db         pyabc's history (SQLite): every finished generation; what a rerun resumes from
    posterior.parquet  the final generation: one float column per parameter, named by its dotted scenario path
                       (as ``leadsim run --set`` takes it), and ``weight`` (non-negative, summing to 1)
    summary.csv        per parameter: posterior median and 90% interval, the prior's, their width ratio, and
                       whether the evidence constrains it
    generations.csv    per generation: epsilon, particles, simulations, acceptance rate, seconds
    predictive.parquet the posterior predictive check: draws from the posterior re-measured on new seeds
    figures/*.png      marginals (prior and posterior), pairs, generations, the predictive check per target

Every file is written atomically (:func:`simulation.results.write_atomic`), the manifest first (status
"running": it proves the folder is leadsim's before pyabc creates its database) and last (status "finished",
with every file's hash). Whose folder: :func:`simulation.results.check_owned` (kind ``calibration``), and a
folder made from another calibration file is refused rather than mixed.
"""

from __future__ import annotations

import hashlib
import json
import platform
import sys
from dataclasses import asdict
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from simulation.calibration.spec import Calibration
from simulation.problems import OutputError
from simulation.results import (
    MANIFEST,
    check_owned,
    check_writable,
    git_info,
    now,
    package_versions,
    stamp,
    write_atomic,
)

UNCONSTRAINED = 0.8
"""A parameter is "not constrained" when its posterior 90% interval is at least this share of its prior's."""
POSTERIOR = "posterior.parquet"


# ---- the folder ----------------------------------------------------------------------------------------------
def check_folder(folder: Path, cal: Calibration) -> dict[str, Any] | None:
    """The folder's manifest if it holds this calibration (to resume), None if it is new; :class:`OutputError`
    when it is someone else's, another kind of leadsim folder, or a calibration of another file."""
    if not folder.name or folder.name in (".", ".."):
        raise OutputError(f"--out {folder}: give a folder name, such as results/calibration/{cal.name}")
    manifest = check_owned(folder, "calibration")
    if manifest is not None and manifest.get("calibration", {}).get("text_sha256") != cal.text_sha256():
        made = manifest.get("calibration", {}).get("file", "another file")
        raise OutputError(f"--out {folder}: holds a calibration made from {made} as it was then, not from "
                          f"{cal.path} as it is now; resuming would mix the two. Choose another --out (or remove "
                          "this folder to start again)")
    check_writable(folder)
    return manifest


def write_json(path: Path, data: Any) -> None:
    text = json.dumps(data, indent=2, allow_nan=False, default=str) + "\n"
    write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def manifest(cal: Calibration, run: dict[str, Any], folder: Path, status: str,
             generations: pd.DataFrame | None = None) -> dict[str, Any]:
    from simulation import __version__
    from simulation.scenario_files import resolve

    packages = package_versions()
    packages["pyabc"] = metadata.version("pyabc")
    out = {
        **stamp("calibration"),
        "leadsim_version": __version__,
        "status": status,
        "command": "calibrate",
        "argv": run.get("argv", sys.argv[1:]),
        "git": git_info(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "packages": packages,
        "calibration": {"file": cal.path, "name": cal.name, "text_sha256": cal.text_sha256(), "given": cal.text,
                        "spec": cal.spec.model_dump(mode="json")},
        "base": {"hash": cal.base.content_hash(), "resolved": resolve(cal.base)},
        "people": cal.people,
        "targets": [asdict(t) for t in cal.targets],
        "parameters": {path: p.model_dump(mode="json", exclude_none=True) for path, p in cal.spec.parameters.items()},
        "integer_parameters": sorted(cal.integer_paths),
        "posterior": POSTERIOR,
        "workers": run.get("workers"),
        "scheduler": run.get("scheduler"),
        "sessions": run.get("sessions", []),
        "stopped": run.get("stopped"),
        "started": run["started"],
        "updated": now(),
    }
    if generations is not None:
        out["generations"] = json.loads(generations.to_json(orient="records"))
    if status == "finished":
        out["files"] = file_list(folder)
    return out


def file_list(folder: Path) -> dict[str, dict[str, Any]]:
    files = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.name != MANIFEST
                       and not p.name.startswith(".tmp-")):
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        files[path.relative_to(folder).as_posix()] = {"bytes": path.stat().st_size, "sha256": digest.hexdigest()}
    return files


# ---- what the history says -----------------------------------------------------------------------------------
def posterior(history: Any, cal: Calibration) -> pd.DataFrame:
    """The final generation as the contract's table: a float column per dotted path, and ``weight``."""
    from simulation.calibration.smc import names

    frame, weights = history.get_distribution(m=0, t=history.max_t)
    out = pd.DataFrame({path: frame[name].to_numpy(dtype=float) for name, path in names(cal).items()})
    for path in cal.integer_paths:  # what the model ran: integer fields rounded, as the particle applied them
        out[path] = out[path].round()
    w = np.clip(np.asarray(weights, dtype=float), 0.0, None)
    out["weight"] = w / w.sum()
    return out


def generations(history: Any, population: int) -> pd.DataFrame:
    pops = history.get_all_populations()
    pops = pops[pops["t"] >= 0]
    return pd.DataFrame({"generation": pops["t"].astype(int).to_numpy(), "epsilon": pops["epsilon"].to_numpy(),
                         "particles": population, "simulations": pops["samples"].astype(int).to_numpy(),
                         "acceptance": population / pops["samples"].to_numpy(),
                         "seconds": pops["wall_time"].fillna(0).to_numpy()})


def weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float | list[float]) -> np.ndarray:
    order = np.argsort(values)
    v, w = np.asarray(values)[order], np.asarray(weights)[order]
    cum = (np.cumsum(w) - 0.5 * w) / w.sum()
    return np.interp(q, cum, v)


def summary(cal: Calibration, post: pd.DataFrame) -> pd.DataFrame:
    """Per parameter: posterior median and 90% interval, the prior's 90% interval, and the width ratio."""
    from simulation.calibration.smc import distribution

    rows = []
    for path, prior in cal.spec.parameters.items():
        low, median, high = weighted_quantile(post[path].to_numpy(), post["weight"].to_numpy(), [0.05, 0.5, 0.95])
        rv = distribution(prior).distribution
        p_low, p_high = float(rv.ppf(0.05)), float(rv.ppf(0.95))
        ratio = (high - low) / (p_high - p_low) if p_high > p_low else float("nan")
        rows.append({"parameter": path, "label": cal.label(path), "median": median, "low": low, "high": high,
                     "prior_low": p_low, "prior_high": p_high, "width_ratio": ratio,
                     "constrained": bool(ratio < UNCONSTRAINED)})
    return pd.DataFrame(rows)


MIN_ESS_SHARE = 0.5
"""Below this share of the population, the final weights' effective sample size says the posterior rests on a few
particles: its intervals are then not read as what the evidence allows."""


def effective_sample_size(weights: np.ndarray) -> float:
    """Kish's effective sample size of normalised importance weights, ``1 / sum(w^2)``."""
    w = np.asarray(weights, dtype=float)
    w = w / w.sum()
    return float(1.0 / np.sum(w * w))


def summary_lines(table: pd.DataFrame, weights: np.ndarray | None = None) -> list[str]:
    """The summary as the command prints it; with the final ``weights``, a warning when they are degenerate."""
    lines = [f"{'parameter':<52} {'median':>9}  {'90% interval':<21} {'prior 90%':<21} width"]
    for r in table.itertuples():
        lines.append(f"{r.parameter:<52} {r.median:>9.4g}  [{r.low:.4g}, {r.high:.4g}]".ljust(86)
                     + f"[{r.prior_low:.4g}, {r.prior_high:.4g}]".ljust(22) + f"{r.width_ratio:.2f}"
                     + ("" if r.constrained else "  not constrained"))
    ess = effective_sample_size(weights) if weights is not None and len(weights) else None
    if ess is not None and ess < MIN_ESS_SHARE * len(weights):
        lines.append(f"warning: the posterior rests on {ess:.1f} effective particles of {len(weights)} (its weights "
                     "are degenerate): these intervals describe a few particles, not what the evidence allows, and "
                     "which parameters it constrains cannot be told. Rerun with a larger population, fewer "
                     "parameters or more generations.")
        return lines
    loose = table.loc[~table["constrained"], "parameter"].tolist()
    lines.append("not constrained by these targets (posterior interval >= "
                 f"{UNCONSTRAINED:.0%} of the prior's): {', '.join(loose) if loose else 'none'}")
    if ess is not None:
        lines.append(f"effective sample size of the final weights: {ess:.1f} of {len(weights)}")
    return lines
