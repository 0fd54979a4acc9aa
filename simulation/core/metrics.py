"""Per-month metrics at four levels (individual, organization, network, community) plus cost and reach.

Values go into a preallocated (months + 1) x metrics array, so collecting costs no allocation per step; the
:func:`MetricsRecorder.frame` is the tidy long table (month, metric, value) that runs, studies and plots share.
Clustering and the largest component are the costly ones: they are measured every
``network.structure_metrics_every`` months and carried forward in between. Clustering is the mean local
clustering estimated from a seeded sample of wedges (the error is about 0.01 at the sample size used).

Responsibilities: step 9 of the month (``model.recorder.collect``); the list of metrics (:data:`METRICS`, one entry
per metric) and of a scenario's metric names (:func:`metric_names`, which studies use to check their outputs).
Reads: the whole model (people, ties, organizations, initiatives, interventions' cost and reach, levers, result)
and the ``metrics.wedge*`` streams (observation only: nothing the model draws depends on them).
Writes: only the recorder's table.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import pandas as pd

from .compiled import njit
from .network import CROSS_ORG, CROSS_SECTOR
from .people import COLLECTIVE, COMPETENCE
from .streams import draw_uniform
from .tie_kernels import pick_contacts, tied

if TYPE_CHECKING:
    from .interventions import Intervention
    from .model import LeadershipModel
    from .scenario import Scenario

WEDGE_SAMPLE = 3000
APPLIED_LEADERSHIP = 0.2  # applied capacity (capacity x practice) from which an engaged person is "leading"

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


# The slots of the person summary (what :func:`_person_summary` returns): the number of living people, of engaged
# ones and of those leading, the mean and sd of purpose, the mean engagement, the Gini of capacity, then the mean
# of each capacity from CAPACITY_MEANS on.
ALIVE, ENGAGED, LEADING, DIRECTION, PURPOSE_SD, COMMITMENT, GINI, CAPACITY_MEANS = range(8)


@njit(cache=True)
def _person_summary(alive, capacity, engagement, practice, initiative, purpose, engaged_threshold,
                    applied_leadership, bins):
    """One pass over the living: counts, means (accumulated in float64), the purpose sd and the Gini of capacity.

    Returns the person summary, indexed by ``ALIVE`` ... ``GINI``, with capacity ``d``'s mean at
    ``CAPACITY_MEANS + d``.
    """
    dims = capacity.shape[1]
    out = np.zeros(CAPACITY_MEANS + dims)
    counts = np.zeros(bins)
    for i in range(alive.shape[0]):
        if not alive[i]:
            continue
        mine = 0.0
        for d in range(dims):
            out[CAPACITY_MEANS + d] += capacity[i, d]
            mine += capacity[i, d]
        mine /= dims
        engaged = engagement[i] >= engaged_threshold
        out[ALIVE] += 1
        if engaged:
            out[ENGAGED] += 1
            if initiative[i] >= 0 or mine * practice[i] >= applied_leadership:
                out[LEADING] += 1
        out[DIRECTION] += purpose[i]
        out[COMMITMENT] += engagement[i]
        counts[min(np.int64(mine * bins), bins - 1)] += 1
    n = max(out[ALIVE], 1.0)
    out[DIRECTION] /= n
    out[COMMITMENT] /= n
    for d in range(dims):
        out[CAPACITY_MEANS + d] /= n
    squares = 0.0
    for i in range(alive.shape[0]):
        if alive[i]:
            squares += (purpose[i] - out[DIRECTION]) ** 2
    out[PURPOSE_SD] = np.sqrt(squares / n)
    out[GINI] = _gini_of_histogram(counts)
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


class Measured(NamedTuple):
    """What the metrics of a month are computed from: the model and the summaries measured once for all of them."""

    model: LeadershipModel
    person: np.ndarray
    """The person summary: ``person[ENGAGED]``, ..., capacity ``d``'s mean at ``person[CAPACITY_MEANS + d]``."""
    n_alive: float
    """Living people (at least 1, a divisor)."""
    ties: int
    bridging: int
    cross_sector: int
    cross_group: int
    clustering: float
    largest_component: float
    spent: float
    """Money spent by all interventions."""
    reached: float
    """Distinct people reached by any intervention."""

    @property
    def capacity(self) -> np.ndarray:
        """The population mean of each capacity."""
        return self.person[CAPACITY_MEANS:]

    @property
    def result_change(self) -> float:
        return self.model.result - self.model.initial_result


Metric = Callable[[Measured], float]

METRICS: dict[str, dict[str, Metric]] = {
    "individual": {
        "mean_capacity": lambda m: float(m.capacity.mean()),
        "mean_competence": lambda m: float(m.capacity[COMPETENCE]),
        "mean_collective_capacity": lambda m: float(m.capacity[COLLECTIVE].mean()),
        "leadership_share": lambda m: m.person[LEADING] / m.n_alive,
        "leadership_gini": lambda m: m.person[GINI],
    },
    "organization": {
        "org_practice": lambda m: m.model.org_practice(),
    },
    "network": {
        "ties": lambda m: m.ties,
        "mean_degree": lambda m: 2.0 * m.ties / m.n_alive,
        "bridging_ties": lambda m: m.bridging,
        "cross_sector_share": lambda m: m.cross_sector / m.ties if m.ties else 0.0,
        "cross_group_share": lambda m: m.cross_group / m.ties if m.ties else 0.0,
        "clustering": lambda m: m.clustering,
        "largest_component": lambda m: m.largest_component,
    },
    "community": {
        "community_result": lambda m: m.model.result,
        "result_change": lambda m: m.result_change,
        "initiatives_active": lambda m: sum(i.active for i in m.model.initiatives),
        "initiatives_scaled": lambda m: sum(i.scaled for i in m.model.initiatives if i.active),
        "initiatives_formed": lambda m: len(m.model.initiatives),
        "initiatives_failed": lambda m: sum(i.status == "failed" for i in m.model.initiatives),
        "initiatives_faded": lambda m: sum(i.status == "faded" for i in m.model.initiatives),
        "initiatives_completed": lambda m: sum(i.status == "completed" for i in m.model.initiatives),
        "adoptions_outside_share": lambda m: m.model.adoptions[1] / max(1, sum(m.model.adoptions)),
        "people_engaged": lambda m: m.person[ENGAGED],
        "engaged_share": lambda m: m.person[ENGAGED] / m.n_alive,
        "direction": lambda m: m.person[DIRECTION],
        "alignment": lambda m: max(0.0, 1.0 - 2.0 * m.person[PURPOSE_SD]),
        "commitment": lambda m: m.person[COMMITMENT],
    },
    "cost": {
        "cost_spent": lambda m: m.spent,
        "people_reached": lambda m: m.reached,
        "result_change_per_million": lambda m: m.result_change / (m.spent / 1e6) if m.spent > 0 else 0.0,
    },
}
"""Every metric of the table by level: its name and how it is computed from the month's :class:`Measured`.
A new metric is one entry here (and, if it needs a new pass over the people or ties, a field of ``Measured``)."""

PER_INTERVENTION: dict[str, Callable[[Intervention], float]] = {
    "cost_spent": lambda iv: iv.spent,
    "people_reached": lambda iv: iv.people_reached,
}
"""Metrics recorded for each intervention, as ``<metric>.<label>``; the sector levers follow as ``lever.<sector>``."""


def metric_names(scenario: Scenario, labels: Sequence[str] | None = None) -> list[str]:
    """The metrics a run of ``scenario`` records, in the order of the recorder's columns.

    ``labels`` are the labels of the run's interventions; by default those the scenario names (a model given extra
    intervention objects passes theirs as well).
    """
    labels = [spec.name for spec in scenario.interventions] if labels is None else labels
    return ([name for level in METRICS.values() for name in level]
            + [f"lever.{sector}" for sector in scenario.population.sectors]
            + [f"{name}.{label}" for label in labels for name in PER_INTERVENTION])


class MetricsRecorder:
    """Collects one row of metrics per month into a preallocated array (the columns are :func:`metric_names`).

    ``final_only`` records the final month alone (a study that stores only the final month asks for it): the
    other months are not measured at all - a fifth of a small run's time - except that the structure measures
    are still taken at the last month of their schedule, so the final row is the one a full recording ends with,
    to the last bit (measuring draws nothing from the model's streams, so the dynamics do not depend on it).
    """

    def __init__(self, model: LeadershipModel, final_only: bool = False) -> None:
        self.names = metric_names(model.params, [iv.label for iv in model.interventions])
        self.index = {name: i for i, name in enumerate(self.names)}
        self._metrics = [metric for level in METRICS.values() for metric in level.values()]
        self.final = model.params.months
        self.final_only = final_only
        self.months = np.array([self.final]) if final_only else np.arange(self.final + 1)
        self.values = np.zeros((len(self.months), len(self.names)))
        every = model.params.network.structure_metrics_every
        self._last_structure_month = self.final - self.final % every
        self._structure: tuple[float, float] | None = None

    def collect(self, model: LeadershipModel) -> None:
        """Record the metrics of ``model.month`` (if it is a recorded month)."""
        if self.final_only and model.month != self.final:
            if model.month == self._last_structure_month:
                self._structure = self._structure_measures(model)
            return
        self.values[model.month - self.months[0]] = self.measure(model)

    def measure(self, model: LeadershipModel) -> list[float]:
        """The metrics of the model's current state, in the order of ``names``."""
        measured = self._measured(model)
        return ([metric(measured) for metric in self._metrics] + model.levers.tolist()
                + [metric(iv) for iv in model.interventions for metric in PER_INTERVENTION.values()])

    def _measured(self, model: LeadershipModel) -> Measured:
        p, t = model.people, model.ties
        person = _person_summary(p.alive[: p.count], p.capacity, p.engagement, p.practice, p.initiative, p.purpose,
                                 np.float32(model.params.engagement.engaged_threshold), APPLIED_LEADERSHIP,
                                 GINI_BINS)
        bridging, cross_sector, cross_group = _tie_summary(t.ends, t.kind, p.group)
        if self._structure is None or model.month % model.params.network.structure_metrics_every == 0:
            self._structure = self._structure_measures(model)
        reached = np.zeros(p.count, dtype=bool)
        for iv in model.interventions:
            reached[iv.reached_ids] = True
        return Measured(model, person, max(person[ALIVE], 1.0), len(t), bridging, cross_sector, cross_group,
                        *self._structure, sum(iv.spent for iv in model.interventions), float(reached.sum()))

    @staticmethod
    def _structure_measures(model: LeadershipModel) -> tuple[float, float]:
        return sampled_clustering(model), largest_component_share(model)

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
