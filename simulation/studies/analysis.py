"""Sensitivity analysis through SALib: Morris screening, Sobol indices, and first-order indices for Latin hypercubes.

For each factor combination, lever and output, the replication means of the output at the design's sample points
are handed to SALib's analyser with the design's own problem and matrix: ``sobol.analyze`` (first-order S1 and
total ST, second-order S2 when sampled), ``morris.analyze`` (mu, mu*, sigma) or, for a Latin hypercube,
``rbd_fast.analyze``: first-order S1 by random balance designs (Tarantola et al. 2006, on any sample as in
Plischke 2010), with Tissot & Prieur's (2012) bias correction, so a parameter without effect gets an index near 0
and an interval around it (Plischke's uncorrected estimator, used before, gave such a parameter 0.2). Borgonovo's
moment-independent delta is added when ``analysis.delta`` asks for it (its bootstrap costs seconds per output;
delta is positive even for a parameter without effect). Intervals are SALib's bootstrap intervals at
``analysis.conf_level``. The same function analyses model outputs and analytic test functions (the tests recover
the Ishigami function's known indices through it), and any output - including a paired difference between two
levers - is just a column.

An interval wider than ``analysis.max_ci`` earns a warning that says how many samples would narrow it: bootstrap
half-widths shrink like 1/sqrt(N), so N x (width / max_ci)^2 (Sobol: rounded up to a power of 2). An interval
from fewer than :data:`~simulation.studies.spec.MIN_SAMPLES` units (samples, base samples, trajectories) has zero
width by construction - every bootstrap resample is the same - so it is reported as unknown (NaN), never as
certain, and an unknown interval earns a warning too.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .designs import sample_rows
from .plan import Plan
from .spec import MIN_SAMPLES, SAMPLE_UNITS

INDEX_COLUMNS = ["lever", "output", "method", "parameter", "index", "value", "conf", "ci_low", "ci_high"]


@dataclass
class Sensitivity:
    """Indices (long table: group columns, then :data:`INDEX_COLUMNS`) and warnings about their precision."""

    indices: pd.DataFrame
    warnings: list[str]


def analyse(method: str, problem: dict, X: np.ndarray, Y: np.ndarray, *, second_order: bool = False,
            levels: int = 4, resamples: int = 1000, conf_level: float = 0.95, seed: int = 0,
            moment_free: bool = False) -> pd.DataFrame:
    """SALib's indices of ``Y`` for one design, as rows (parameter, index, value, conf, ci_low, ci_high)."""
    from SALib.analyze import delta, morris, sobol

    names = problem["names"]
    rows: list[tuple[str, str, float, float]] = []
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        if method == "sobol":
            res = sobol.analyze(problem, Y, calc_second_order=second_order, num_resamples=resamples,
                                conf_level=conf_level, seed=seed)
            for key in ("S1", "ST"):
                rows += [(n, key, res[key][i], res[f"{key}_conf"][i]) for i, n in enumerate(names)]
            if second_order:
                for i in range(len(names)):
                    for j in range(i + 1, len(names)):
                        rows.append((f"{names[i]} x {names[j]}", "S2", res["S2"][i, j], res["S2_conf"][i, j]))
        elif method == "morris":
            res = morris.analyze(problem, X, Y, num_resamples=resamples, conf_level=conf_level, num_levels=levels,
                                 seed=seed)
            for i, n in enumerate(names):
                rows += [(n, "mu_star", res["mu_star"][i], res["mu_star_conf"][i]),
                         (n, "mu", res["mu"][i], math.nan), (n, "sigma", res["sigma"][i], math.nan)]
        elif method == "latin":
            rows += _rbd_fast(problem, X, Y, resamples, conf_level, seed)
            if moment_free:
                res = delta.analyze(problem, X, Y, num_resamples=resamples, conf_level=conf_level, seed=seed,
                                    method="delta")
                rows += [(n, "delta", res["delta_raw"][i], res["delta_raw_conf"][i]) for i, n in enumerate(names)]
        else:
            raise ValueError(f"no sensitivity indices for design method {method!r} (use sobol, morris or latin)")
    out = pd.DataFrame(rows, columns=["parameter", "index", "value", "conf"]).astype({"value": float, "conf": float})
    if bootstrap_units(method, len(Y), len(names), second_order) < MIN_SAMPLES:
        out["conf"] = math.nan  # one unit: every resample is the same, so SALib's zero width means nothing
    out["ci_low"] = out["value"] - out["conf"]
    out["ci_high"] = out["value"] + out["conf"]
    return out


HARMONICS = 10
"""RBD-FAST's harmonics M (SALib's default); fewer for small samples, where its bias correction needs N > 4 M."""


def _rbd_fast(problem: dict, X: np.ndarray, Y: np.ndarray, resamples: int, conf_level: float,
              seed: int) -> list[tuple[str, str, float, float]]:
    """Bias-corrected first-order indices of any sample (a Latin hypercube's); NaN when it is too small (N < 4)."""
    from SALib.analyze import rbd_fast

    harmonics = max(1, min(HARMONICS, len(Y) // 10))
    if len(Y) < 4 * harmonics:
        return [(n, "S1", math.nan, math.nan) for n in problem["names"]]
    res = rbd_fast.analyze(problem, X, Y, M=harmonics, num_resamples=resamples, conf_level=conf_level, seed=seed)
    return [(n, "S1", res["S1"][i], res["S1_conf"][i]) for i, n in enumerate(problem["names"])]


def sensitivity(plan: Plan, points: pd.DataFrame, outputs: list[str] | None = None) -> Sensitivity:
    """Indices of every output (default: all) for every factor combination and lever, with precision warnings.

    ``points`` is the per-point table (:func:`simulation.studies.outputs.per_point`): one row per (point, lever).
    """
    spec, design = plan.study.spec, plan.design
    method = spec.design.method
    if method == "factorial" or design.problem is None:
        return Sensitivity(pd.DataFrame(columns=[*design.factor_paths, *INDEX_COLUMNS]), [])
    outputs = outputs or [o.name for o in spec.outputs]
    reference = {o.name: o.minus for o in spec.outputs}
    frames, notes = [], []
    an = spec.analysis
    for f, combo in enumerate(design.grid):
        span = range(f * design.n_samples, (f + 1) * design.n_samples)
        group = dict(zip(design.factor_paths, combo, strict=True))
        where = "".join(f", {k}={v}" for k, v in group.items())
        for lever in plan.levers:
            rows = points[(points["lever"] == lever) & points["point"].isin(span)].sort_values("point")
            for output in outputs:
                if reference.get(output) == lever:
                    continue  # a lever minus itself: zero by construction
                Y = rows[output].to_numpy(dtype=float)
                if len(Y) != design.n_samples or np.isnan(Y).any():
                    missing = design.n_samples - int(np.isfinite(Y).sum())
                    notes.append(f"{output} ({lever}{where}): {missing} of {design.n_samples} points have no value "
                                 "(failed runs, or a ratio with a non-positive denominator); no indices computed")
                    continue
                if np.ptp(Y) == 0:
                    notes.append(f"{output} ({lever}{where}): the same value at every point; no indices computed")
                    continue
                idx = analyse(method, design.problem, design.samples, Y, second_order=spec.design.second_order,
                              levels=spec.design.levels, resamples=an.resamples, conf_level=an.conf_level,
                              seed=spec.design.seed, moment_free=an.delta)
                idx.insert(0, "method", method)
                idx.insert(0, "output", output)
                idx.insert(0, "lever", lever)
                for k, v in reversed(group.items()):
                    idx.insert(0, k, v)
                frames.append(idx)
                note = precision_warning(plan, idx, f"{output} ({lever}{where})")
                if note:
                    notes.append(note)
    columns = [*design.factor_paths, *INDEX_COLUMNS]
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)
    return Sensitivity(table[columns], notes)


def bootstrap_units(method: str, n_rows: int, n_vars: int, second_order: bool = False) -> int:
    """What the bootstrap resamples: Latin samples, Sobol base samples or Morris trajectories in ``n_rows``."""
    return n_rows // sample_rows(method, 1, n_vars, second_order)


INTERVALS = ("S1", "ST", "S2", "mu_star", "delta")
"""The indices that have a bootstrap interval (Morris' mu and sigma have none)."""


def precision_warning(plan: Plan, idx: pd.DataFrame, what: str) -> str | None:
    """A sentence if intervals are unknown or wider than ``analysis.max_ci``, with the sample size that would do."""
    spec, design = plan.study.spec, plan.design
    target = spec.analysis.max_ci
    n = int(spec.design.samples or 0)
    d = design.problem["num_vars"] if design.problem else 0
    per_sample = len(design.grid) * len(plan.levers) * spec.replications
    method = spec.design.method
    shown = idx[idx["index"].isin(INTERVALS)]
    unknown = int((shown["conf"].isna() | shown["value"].isna()).sum())
    if unknown:
        return (f"{what}: {unknown} of {len(shown)} index intervals are unknown (NaN) with {n} "
                f"{SAMPLE_UNITS[method]}; treat those indices as unknown, not certain, and add samples")
    if method == "morris":
        mu = idx[idx["index"] == "mu_star"]
        scale = float(mu["value"].abs().max()) or 1.0
        width = float(mu["conf"].max()) / scale
        if not width > target:
            return None
        need = math.ceil(n * (width / target) ** 2)
        runs = sample_rows(method, need, d) * per_sample
        return (f"{what}: Morris mu* intervals up to +/-{width:.0%} of the largest mu* with {n} trajectories (target "
                f"{target:.0%}); about {need:,} trajectories ({runs:,} runs) would narrow them enough")
    width = float(idx["conf"].max())
    if not width > target:
        return None
    need = math.ceil(n * (width / target) ** 2)
    if method == "sobol":
        need = 1 << (need - 1).bit_length()
        runs = sample_rows(method, need, d, spec.design.second_order) * per_sample
        label = f"Sobol intervals up to +/-{width:.2f} with N = {n} base samples"
    else:
        runs = need * per_sample
        label = f"S1 (RBD-FAST) intervals up to +/-{width:.2f} with {n} samples"
    return (f"{what}: {label} (target +/-{target:g}); about N = {need:,} ({runs:,} runs) would narrow them "
            "enough")
