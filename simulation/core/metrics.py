"""Per-month metrics at four levels (individual, organization, network, community) plus cost and reach.

Values go into a preallocated (months + 1) x metrics array, so collecting costs no allocation per step; the
:func:`MetricsRecorder.frame` is the tidy long table (month, metric, value) that runs, studies and plots share.
Clustering and the largest component are the costly ones: they are measured every
``network.structure_metrics_every`` months and carried forward in between. Clustering is the mean local
clustering estimated from a seeded sample of wedges (the error is about 0.01 at the sample size used).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from numba import njit

from .network import CROSS_ORG, CROSS_SECTOR
from .people import COLLECTIVE, COMPETENCE
from .streams import draw_uniform
from .tie_kernels import pick_contacts, tied

if TYPE_CHECKING:
    from .model import LeadershipModel

WEDGE_SAMPLE = 3000
APPLIED_LEADERSHIP = 0.2  # applied capacity (capacity x practice) from which an engaged person is "leading"

LEVELS = {
    "individual": ["mean_capacity", "mean_competence", "mean_collective_capacity", "leadership_share",
                   "leadership_gini"],
    "organization": ["org_practice"],
    "network": ["ties", "mean_degree", "bridging_ties", "cross_sector_share", "cross_group_share", "clustering",
                "largest_component"],
    "community": ["community_result", "result_change", "initiatives_active", "initiatives_scaled",
                  "initiatives_formed", "initiatives_failed", "people_engaged", "engaged_share", "direction",
                  "alignment", "commitment"],
    "cost": ["cost_spent", "people_reached", "result_change_per_million"],
}


GINI_BINS = 2048  # capacity binned to 1/2048 for the Gini (O(n), no sort): moves it by less than 0.001


@njit(cache=True)
def _gini_of_histogram(counts: np.ndarray) -> float:
    """The Gini coefficient of values binned evenly over [0, 1] (each bin's members at its centre).

    The mean rank of a bin's members in the sorted order (1-based) goes into the standard rank formula.
    """
    bins = counts.shape[0]
    n = counts.sum()
    total = 0.0
    for k in range(bins):
        total += counts[k] * (k + 0.5) / bins
    if n == 0 or total <= 0:
        return 0.0
    out, cum = 0.0, 0.0
    for k in range(bins):
        cum += counts[k]
        mean_rank = cum - (counts[k] - 1) / 2.0
        out += (2 * mean_rank - n - 1) * counts[k] * (k + 0.5) / bins
    return out / (n * total)


_PERSON_FIELDS = ("alive", "engaged", "leading", "direction", "purpose_sd", "commitment", "leadership_gini")
_DIMS_AT = len(_PERSON_FIELDS)  # the capacity means follow the fields in the kernel's output


@njit(cache=True)
def _person_summary(alive, capacity, engagement, practice, initiative, purpose, engaged_threshold,
                    applied_leadership, bins):
    """One pass over the living: counts, means (accumulated in float64), the purpose sd and the Gini of capacity.

    Returns the values of ``_PERSON_FIELDS`` followed by the mean of each capacity.
    """
    dims = capacity.shape[1]
    out = np.zeros(_DIMS_AT + dims)
    counts = np.zeros(bins)
    for i in range(alive.shape[0]):
        if not alive[i]:
            continue
        mine = 0.0
        for d in range(dims):
            out[_DIMS_AT + d] += capacity[i, d]
            mine += capacity[i, d]
        mine /= dims
        engaged = engagement[i] >= engaged_threshold
        out[0] += 1
        if engaged:
            out[1] += 1
            if initiative[i] >= 0 or mine * practice[i] >= applied_leadership:
                out[2] += 1
        out[3] += purpose[i]
        out[5] += engagement[i]
        counts[min(np.int64(mine * bins), bins - 1)] += 1
    n = max(out[0], 1.0)
    out[3] /= n
    out[5] /= n
    for d in range(dims):
        out[_DIMS_AT + d] /= n
    squares = 0.0
    for i in range(alive.shape[0]):
        if alive[i]:
            squares += (purpose[i] - out[3]) ** 2
    out[4] = np.sqrt(squares / n)
    out[6] = _gini_of_histogram(counts)
    return out


@njit(cache=True)
def _tie_summary(ends, kind, group):
    """Bridging ties, cross-sector ties and ties across identity groups, counted in one pass."""
    bridging = cross_sector = cross_group = 0
    for e in range(ends.shape[0]):
        if kind[e] >= CROSS_ORG:
            bridging += 1
        if kind[e] == CROSS_SECTOR:
            cross_sector += 1
        if group[ends[e, 0]] != group[ends[e, 1]]:
            cross_group += 1
    return bridging, cross_sector, cross_group


def sampled_clustering(model: LeadershipModel) -> float:
    """Mean local clustering from a seeded sample of wedges (centre, two distinct contacts)."""
    names = ("metrics.wedge", "metrics.wedge.a", "metrics.wedge.b")
    offsets = np.array([model.streams.offset(name, model.month) for name in names], dtype=np.uint64)
    return float(_sampled_clustering(model.ties.ends, model.people.count, offsets, WEDGE_SAMPLE))


@njit(cache=True)
def _sampled_clustering(ends, n, offsets, sample):
    """Closed share of wedges at up to ``sample`` centres (those of degree >= 2 with the smallest draws).

    Each centre's wedge is two contacts picked by their pair draws, as :meth:`Ties.random_neighbors` picks.
    """
    degree = np.zeros(n, np.int64)
    for e in range(ends.shape[0]):
        degree[ends[e, 0]] += 1
        degree[ends[e, 1]] += 1
    centres = np.flatnonzero(degree >= 2)
    if centres.shape[0] == 0:
        return 0.0
    if centres.shape[0] > sample:
        draw = np.empty(centres.shape[0])
        for j in range(centres.shape[0]):
            draw[j] = draw_uniform(offsets[0], np.uint64(centres[j]))
        cut = _kth_smallest(draw.copy(), sample - 1)  # (ties among 53-bit draws are negligible)
        centres = centres[draw <= cut][:sample]
    picks = pick_contacts(ends, centres, n, offsets[1:])
    wedges = closed = 0
    for j in range(centres.shape[0]):
        a, b = picks[0, j], picks[1, j]
        if a != b:
            wedges += 1
            if tied(ends, a, b):
                closed += 1
    return closed / wedges if wedges else 0.0


@njit(cache=True)
def _kth_smallest(values, k):
    """The k-th smallest value (0-based) by quickselect, reordering ``values`` (numba's np.partition compiles
    for seconds; this for a fraction of one)."""
    lo, hi = 0, values.shape[0] - 1
    while lo < hi:
        pivot = values[(lo + hi) // 2]
        i, j = lo, hi
        while i <= j:
            while values[i] < pivot:
                i += 1
            while values[j] > pivot:
                j -= 1
            if i <= j:
                values[i], values[j] = values[j], values[i]
                i += 1
                j -= 1
        if k <= j:
            hi = j
        elif k >= i:
            lo = i
        else:
            return values[k]
    return values[k]


def largest_component_share(model: LeadershipModel) -> float:
    """Share of living people in the largest connected component."""
    p = model.people
    return float(_largest_component_share(model.ties.ends, p.alive[: p.count]))


@njit(cache=True)
def _largest_component_share(ends, alive):
    """Union-find over the ties (path halving, union by size), then the largest group among the living."""
    parent = np.arange(alive.shape[0])
    size = np.ones(alive.shape[0], np.int64)
    for e in range(ends.shape[0]):
        a, b = _root(parent, np.int64(ends[e, 0])), _root(parent, np.int64(ends[e, 1]))
        if a != b:
            if size[a] < size[b]:
                a, b = b, a
            parent[b] = a
            size[a] += size[b]
    living = np.zeros(alive.shape[0], np.int64)
    for i in range(alive.shape[0]):
        if alive[i]:
            living[_root(parent, i)] += 1
    total = living.sum()
    return living.max() / total if total else 0.0


@njit(cache=True)
def _root(parent, i):
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


class MetricsRecorder:
    """Collects one row of metrics per month into a preallocated array.

    ``final_only`` records the final month alone (a study that stores only the final month asks for it): the
    other months are not measured at all - a fifth of a small run's time - except that the structure measures
    are still taken at the last month of their schedule, so the final row is the one a full recording ends with,
    to the last bit (measuring draws nothing from the model's streams, so the dynamics do not depend on it).
    """

    def __init__(self, model: LeadershipModel, final_only: bool = False) -> None:
        sectors = model.params.population.sectors
        per_iv = [f"{m}.{iv.label}" for iv in model.interventions for m in ("cost_spent", "people_reached")]
        self.names = [m for level in LEVELS.values() for m in level] + [f"lever.{s}" for s in sectors] + per_iv
        self.index = {name: i for i, name in enumerate(self.names)}
        self.final = model.params.months
        self.final_only = final_only
        self.months = np.array([self.final]) if final_only else np.arange(self.final + 1)
        self.values = np.zeros((len(self.months), len(self.names)))
        every = model.params.network.structure_metrics_every
        self._last_structure_month = self.final - self.final % every
        self._structure: tuple[float, float] | None = None

    def collect(self, model: LeadershipModel) -> None:
        if self.final_only and model.month != self.final:
            if model.month == self._last_structure_month:
                self._structure = self._structure_measures(model)
            return
        row = self.values[model.month - self.months[0]]
        for name, value in self.measure(model).items():
            row[self.index[name]] = value

    def measure(self, model: LeadershipModel) -> dict[str, float]:
        p = model.people
        summary = _person_summary(p.alive[: p.count], p.capacity, p.engagement, p.practice, p.initiative, p.purpose,
                                  np.float32(model.params.engagement.engaged_threshold), APPLIED_LEADERSHIP,
                                  GINI_BINS)
        people = dict(zip(_PERSON_FIELDS, summary.tolist(), strict=False))
        dims = summary[_DIMS_AT:]
        n_alive = max(people["alive"], 1.0)
        out = {
            "mean_capacity": float(dims.mean()),
            "mean_competence": float(dims[COMPETENCE]),
            "mean_collective_capacity": float(dims[COLLECTIVE].mean()),
            "leadership_share": people["leading"] / n_alive,
            "leadership_gini": people["leadership_gini"],
            "org_practice": model.org_practice(),
            "people_engaged": people["engaged"],
            "engaged_share": people["engaged"] / n_alive,
            "direction": people["direction"],
            "alignment": max(0.0, 1.0 - 2.0 * people["purpose_sd"]),
            "commitment": people["commitment"],
            "community_result": model.result,
            "result_change": model.result - model.initial_result,
        }
        out.update(self._network(model, n_alive))
        out.update(self._initiatives(model))
        out.update(self._cost(model, out["result_change"]))
        out.update({f"lever.{s}": float(v) for s, v in zip(model.params.population.sectors, model.levers,
                                                            strict=True)})
        return out

    def _network(self, model: LeadershipModel, n_alive: float) -> dict[str, float]:
        t = model.ties
        n_ties = len(t)
        bridging, cross_sector, cross_group = _tie_summary(t.ends, t.kind, model.people.group)
        every = model.params.network.structure_metrics_every
        if self._structure is None or model.month % every == 0:
            self._structure = self._structure_measures(model)
        return {
            "ties": float(n_ties),
            "mean_degree": 2.0 * n_ties / n_alive,
            "bridging_ties": float(bridging),
            "cross_sector_share": cross_sector / n_ties if n_ties else 0.0,
            "cross_group_share": cross_group / n_ties if n_ties else 0.0,
            "clustering": self._structure[0],
            "largest_component": self._structure[1],
        }

    @staticmethod
    def _structure_measures(model: LeadershipModel) -> tuple[float, float]:
        return sampled_clustering(model), largest_component_share(model)

    def _initiatives(self, model: LeadershipModel) -> dict[str, float]:
        active = [i for i in model.initiatives if i.active]
        return {
            "initiatives_active": float(len(active)),
            "initiatives_scaled": float(sum(i.scaled for i in active)),
            "initiatives_formed": float(len(model.initiatives)),
            "initiatives_failed": float(sum(i.status == "failed" for i in model.initiatives)),
        }

    def _cost(self, model: LeadershipModel, change: float) -> dict[str, float]:
        out: dict[str, float] = {}
        reached = np.zeros(model.people.count, dtype=bool)
        for iv in model.interventions:
            out[f"cost_spent.{iv.label}"] = iv.spent
            out[f"people_reached.{iv.label}"] = float(iv.people_reached)
            reached[iv.reached_ids] = True
        spent = sum(iv.spent for iv in model.interventions)
        out["cost_spent"] = spent
        out["people_reached"] = float(reached.sum())
        out["result_change_per_million"] = change / (spent / 1e6) if spent > 0 else 0.0
        return out

    def arrays(self, upto: int | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The long table's three columns (month, metric, value) as arrays, the recorded months up to ``upto``.

        Study workers send these, which is cheaper than building the DataFrame (pandas stores text as Arrow
        strings, a few milliseconds per run) only to take it apart again.
        """
        rows = len(self.months) if upto is None else int(np.searchsorted(self.months, upto, side="right"))
        months = np.repeat(self.months[:rows], len(self.names))
        metrics = np.tile(np.array(self.names, dtype=object), rows)
        return months, metrics, self.values[:rows].ravel()

    def frame(self, upto: int | None = None) -> pd.DataFrame:
        """Tidy long table: month, metric, value (the recorded months up to ``upto``)."""
        months, metrics, values = self.arrays(upto)
        return pd.DataFrame({"month": months, "metric": metrics, "value": values})
