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
from scipy.sparse.csgraph import connected_components

from .network import CROSS_ORG, CROSS_SECTOR
from .people import COLLECTIVE, COMPETENCE

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


def gini(x: np.ndarray, bins: int = 2048) -> float:
    """Gini coefficient of values in [0, 1] (0 = equal, toward 1 = concentrated in few people).

    Computed from a fine histogram rather than a sort, so it costs O(n): values are binned to 1/2048, which moves
    the coefficient by less than 0.001.
    """
    x = np.asarray(x)
    n = len(x)
    if n == 0:
        return 0.0
    counts = np.bincount(np.minimum((x * bins).astype(np.int64), bins - 1), minlength=bins).astype(np.float64)
    values = (np.arange(bins) + 0.5) / bins
    total = counts.dot(values)
    if total <= 0:
        return 0.0
    # Mean rank of each bin's members in the sorted order (1-based), then the standard rank formula.
    cum = np.cumsum(counts)
    mean_rank = cum - (counts - 1) / 2.0
    return float(((2 * mean_rank - n - 1) * counts * values).sum() / (n * total))


# Elements per block: OpenBLAS's gemv stays on one thread below 2304 x GEMM_MULTITHREAD_THRESHOLD (4 by default)
# = 9216 elements; recent builds start threads only far above that (here, between 420k and 480k).
_BLAS_SINGLE_THREAD = 9216


def _row_means(caps: np.ndarray) -> np.ndarray:
    """Each row's mean, as the BLAS matrix-vector product (faster than ``mean(axis=1)``), in single-thread blocks.

    Why blocks: on a large population one product is big enough for OpenBLAS to wake its thread pool, whose
    threads then busy-wait for a while after the call and, on a two-core (or hyperthreaded) machine, slow the
    rest of the month by as much as half. Rows are independent, so the blocks give the same bits as one call.
    """
    weights = np.full(caps.shape[1], 1.0 / caps.shape[1], dtype=caps.dtype)
    out = np.empty(caps.shape[0], dtype=np.result_type(caps, weights))
    rows = max(1, _BLAS_SINGLE_THREAD // max(1, caps.shape[1]))
    for start in range(0, caps.shape[0], rows):
        np.matmul(caps[start : start + rows], weights, out=out[start : start + rows])
    return out


def sampled_clustering(model: LeadershipModel) -> float:
    """Mean local clustering from a seeded sample of wedges (centre, two distinct contacts)."""
    n = model.people.count
    degree = model.ties.degree(n)
    centres = np.flatnonzero(degree >= 2)
    if len(centres) == 0:
        return 0.0
    pick = model.streams.uniform("metrics.wedge", model.month, centres)
    centres = centres[_smallest(pick, WEDGE_SAMPLE)]
    a, b = model.ties.random_neighbors(centres, n, model.streams, ("metrics.wedge.a", "metrics.wedge.b"), model.month)
    ok = a != b
    if not ok.any():
        return 0.0
    return float(model.ties.exists(a[ok], b[ok]).mean())


def _smallest(values: np.ndarray, k: int) -> np.ndarray:
    """Indices of the ``k`` smallest values in ascending order: ``np.argsort(values)[:k]``, without a full sort.

    A partition finds the ``k`` smallest in linear time and only they are sorted. If a value equal to the k-th
    smallest lies outside them (a tie at the cut), the partition's choice could differ from the sort's, so the
    full sort is used then, keeping the sample exactly as it was.
    """
    if k >= len(values):
        return np.argsort(values)
    part = np.argpartition(values, k - 1)
    head = part[:k]
    ranked = head[np.argsort(values[head])]
    ordered = values[ranked]
    if (values[part[k:]] == ordered[-1]).any() or (ordered[1:] == ordered[:-1]).any():
        return np.argsort(values)[:k]
    return ranked


def largest_component_share(model: LeadershipModel) -> float:
    """Share of living people in the largest connected component."""
    alive = model.people.alive_ids()
    if len(alive) == 0:
        return 0.0
    _, labels = connected_components(model.ties.connectivity(model.people.count), directed=True, connection="weak")
    return float(np.bincount(labels[alive]).max() / len(alive))


class MetricsRecorder:
    """Collects one row of metrics per month into a preallocated array."""

    def __init__(self, model: LeadershipModel) -> None:
        sectors = model.params.population.sectors
        per_iv = [f"{m}.{iv.label}" for iv in model.interventions for m in ("cost_spent", "people_reached")]
        self.names = [m for level in LEVELS.values() for m in level] + [f"lever.{s}" for s in sectors] + per_iv
        self.index = {name: i for i, name in enumerate(self.names)}
        self.values = np.zeros((model.params.months + 1, len(self.names)))
        self.months = np.arange(model.params.months + 1)
        self._structure: tuple[float, float] | None = None

    def collect(self, model: LeadershipModel) -> None:
        row = self.values[model.month]
        for name, value in self.measure(model).items():
            row[self.index[name]] = value

    def measure(self, model: LeadershipModel) -> dict[str, float]:
        p = model.people
        alive = p.alive_ids()
        caps = p.capacity.take(alive, axis=0)  # take: several times faster than fancy indexing for row gathers
        per_person = _row_means(caps)
        dims = caps.mean(axis=0)
        engagement = p.engagement.take(alive)
        engaged = engagement >= model.params.engagement.engaged_threshold
        in_initiative = p.initiative.take(alive) >= 0
        leading = engaged & (in_initiative | (per_person * p.practice.take(alive) >= APPLIED_LEADERSHIP))
        purpose = p.purpose.take(alive)
        out = {
            "mean_capacity": float(dims.mean()),
            "mean_competence": float(dims[COMPETENCE]),
            "mean_collective_capacity": float(dims[COLLECTIVE].mean()),
            "leadership_share": float(leading.mean()),
            "leadership_gini": gini(per_person),
            "org_practice": model.org_practice(),
            "people_engaged": float(engaged.sum()),
            "engaged_share": float(engaged.mean()),
            "direction": float(purpose.mean()),
            "alignment": float(max(0.0, 1.0 - 2.0 * purpose.std())),
            "commitment": float(engagement.mean()),
            "community_result": model.result,
            "result_change": model.result - model.initial_result,
        }
        out.update(self._network(model))
        out.update(self._initiatives(model))
        out.update(self._cost(model, out["result_change"]))
        out.update({f"lever.{s}": float(v) for s, v in zip(model.params.population.sectors, model.levers,
                                                            strict=True)})
        return out

    def _network(self, model: LeadershipModel) -> dict[str, float]:
        t, p = model.ties, model.people
        n_ties = len(t)
        bridging = (t.kind == CROSS_ORG) | (t.kind == CROSS_SECTOR)
        every = model.params.network.structure_metrics_every
        if self._structure is None or model.month % every == 0:
            self._structure = (sampled_clustering(model), largest_component_share(model))
        n_alive = max(1, int(p.alive[: p.count].sum()))
        return {
            "ties": float(n_ties),
            "mean_degree": 2.0 * n_ties / n_alive,
            "bridging_ties": float(bridging.sum()),
            "cross_sector_share": float((t.kind == CROSS_SECTOR).mean()) if n_ties else 0.0,
            "cross_group_share": float((p.group.take(t.src) != p.group.take(t.dst)).mean()) if n_ties else 0.0,
            "clustering": self._structure[0],
            "largest_component": self._structure[1],
        }

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

    def frame(self, upto: int | None = None) -> pd.DataFrame:
        """Tidy long table: month, metric, value (months 0..upto)."""
        upto = self.values.shape[0] - 1 if upto is None else upto
        vals = self.values[: upto + 1]
        months = np.repeat(self.months[: upto + 1], len(self.names))
        metrics = np.tile(np.array(self.names, dtype=object), upto + 1)
        return pd.DataFrame({"month": months, "metric": metrics, "value": vals.ravel()})
