"""Honest summaries of replications: what kind of number each metric is, its interval, and how it is written.

One owner for the console's numbers (``leadsim run``'s summary, ``leadsim compare``'s report) and the unit of
changes that the figures and the docs use too:

* **points**: a change in the community result is given in points, 1 point = 0.01 of the result (its 0-1 scale),
  everywhere - console, figures, docs (:data:`POINT`, :func:`points`).
* **counts** (ties, initiatives, people) are whole numbers per run, written without spurious decimals; **money**
  in whole units; shares and levels on 0-1 with three decimals.
* the interval is the 95% t-interval of the mean across runs, except where that would leave the metric's range
  (:data:`BOUNDS`: a small count near 0, a share near 0 or 1): there it is the percentile bootstrap interval of
  the mean, which lies within the runs' own range (it is somewhat narrow with few replications, as any interval
  from five runs is rough).
* a metric with the same value in every run is a constant: it is written once, without an interval.

Reads and writes nothing: numbers to numbers and text.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.special import stdtrit  # the t quantile; scipy.stats would add half a second to start-up

POINT = 0.01
"""One point of the community result (its 0-1 scale): the unit of every change leadsim reports."""
POINTS_NOTE = "1 point = 0.01 of the community result"
LEVEL = 0.95
RESAMPLES = 4000

COUNTS = frozenset({"ties", "bridging_ties", "initiatives_active", "initiatives_scaled", "initiatives_formed",
                    "initiatives_failed", "people_engaged", "people_reached"})
"""Metrics that count something (whole numbers in each run; per-intervention ``people_reached.LABEL`` too)."""
MONEY = frozenset({"cost_spent"})
UNBOUNDED = frozenset({"result_change", "result_change_per_million", "mean_degree"})
"""Metrics that are neither counts, money nor on the 0-1 scale."""


BOUNDS = {"count": (0.0, math.inf), "money": (0.0, math.inf), "share": (0.0, 1.0), "unbounded": (-math.inf, math.inf)}
"""The range of each kind of metric, which its interval respects."""


def kind(metric: str) -> str:
    """``count``, ``money``, ``unbounded`` or ``share`` (on 0-1); ``cost_spent.LABEL`` is money, and so on."""
    base = metric.split(".", 1)[0]
    if base in COUNTS:
        return "count"
    if base in MONEY:
        return "money"
    if base in UNBOUNDED:
        return "unbounded"
    return "share"


@dataclass(frozen=True)
class Summary:
    """The mean of one metric across runs and its 95% interval (NaN when there is none: one run, a constant)."""

    mean: float
    low: float
    high: float
    runs: int
    constant: bool


def summarize(values: np.ndarray | list[float], metric: str) -> Summary:
    """Mean and interval of ``values`` (one per run) as :data:`kind` of ``metric`` calls for (module docstring)."""
    x = np.asarray(values, dtype=float)
    mean = float(x.mean())
    nan = float("nan")
    if len(x) < 2 or float(x.max() - x.min()) == 0.0:
        return Summary(mean, nan, nan, len(x), constant=len(x) > 1)
    low, high = t_interval(x)
    floor, ceiling = BOUNDS[kind(metric)]
    if low < floor or high > ceiling:  # a small count near 0, a share near 0 or 1: stay within the runs' range
        low, high = bootstrap_interval(x)
    return Summary(mean, low, high, len(x), constant=False)


def bootstrap_interval(x: np.ndarray, level: float = LEVEL, resamples: int = RESAMPLES) -> tuple[float, float]:
    """Percentile bootstrap interval of the mean (fixed seed: the same runs give the same interval)."""
    rng = np.random.default_rng(0)
    means = x[rng.integers(0, len(x), size=(resamples, len(x)))].mean(axis=1)
    tail = (1.0 - level) / 2.0 * 100.0
    low, high = np.percentile(means, [tail, 100.0 - tail])
    return float(low), float(high)


def t_interval(x: np.ndarray, level: float = LEVEL) -> tuple[float, float]:
    """The t-interval of the mean."""
    n = len(x)
    half = float(stdtrit(n - 1, 0.5 + level / 2.0) * x.std(ddof=1) / math.sqrt(n))
    mean = float(x.mean())
    return mean - half, mean + half


def show(value: float, metric: str) -> str:
    """A value as its kind is written: counts without spurious decimals, money in whole units, shares 0.123."""
    if value is None or math.isnan(value):
        return "n/a"
    k = kind(metric)
    if k == "money" or abs(value) >= 1000:
        return f"{value:,.0f}"
    if k == "count":
        return f"{value:,.0f}" if float(value).is_integer() or abs(value) >= 100 else f"{value:.1f}"
    return f"{value:.3f}"


def show_summary(summary: Summary, metric: str) -> str:
    """``0.8 [0.2, 1.6]``; a constant once, ``386,560 (every run)``; one run, its value."""
    text = show(summary.mean, metric)
    if summary.constant:
        return f"{text} (every run)"
    if math.isnan(summary.low):
        return text
    return f"{text}  [{show(summary.low, metric)}, {show(summary.high, metric)}]"


def points(change: float, sign: bool = True) -> str:
    """A change in the community result in points (``+4.74``), two decimals."""
    if change is None or math.isnan(change):
        return "n/a"
    value = change / POINT
    return f"{value:+.2f}" if sign else f"{value:.2f}"
