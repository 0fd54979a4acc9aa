"""What the app's charts show: runs, live or stored, each a trajectory of the model's own metrics.

A *run* is one scenario's months on one seed, with a role: ``business as usual`` (no programme), ``A`` or ``B``
(the strategies compared with it). The charts read every run the same way (:meth:`Run.series`), so a stored run
replayed from a results folder draws exactly like a live one:

* :class:`LiveRun` reads a running :class:`~simulation.LeadershipModel`'s recorder (the numbers ``leadsim run``
  writes);
* :class:`StoredRun` reads ``metrics.parquet`` of a results folder up to the month a slider chose
  (:func:`load_replay`), so scrubbing never reruns the model.

The strategies and business as usual run on the same seed, so their difference month by month is the paired
difference of common random numbers (as in ``leadsim compare``), not noise between two draws.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from simulation.results import MANIFEST, folder_kind

if TYPE_CHECKING:
    from simulation.core.model import LeadershipModel

BAU = "business as usual"
ROLES = (BAU, "A", "B")


class ReplayError(Exception):
    """A results folder cannot be replayed; the message names it and says what to do."""


class Run:
    """One trajectory: months 0..``month`` of every metric. Subclasses say where the numbers come from."""

    role: str
    name: str

    @property
    def month(self) -> int:
        raise NotImplementedError

    @property
    def horizon(self) -> int:
        raise NotImplementedError

    @property
    def sectors(self) -> list[str]:
        raise NotImplementedError

    @property
    def budget(self) -> float | None:
        raise NotImplementedError

    def series(self, metric: str) -> tuple[np.ndarray, np.ndarray]:
        """Months 0..now and the metric's values."""
        raise NotImplementedError

    def reached_left(self) -> int | None:
        """How many of the people reached have left the community (None when the run cannot tell)."""
        return None

    @property
    def label(self) -> str:
        return self.role if self.role == BAU else f"{self.role}: {self.name}"

    @property
    def is_bau(self) -> bool:
        return self.role == BAU

    def latest(self, metric: str) -> float:
        return float(self.series(metric)[1][-1])

    def first(self, metric: str) -> float:
        return float(self.series(metric)[1][0])

    def table(self) -> pd.DataFrame:
        """The long table of months 0..now (scenario, replication, seed, month, metric, value), as results hold."""
        raise NotImplementedError


@dataclass
class LiveRun(Run):
    """A model running in this process."""

    role: str
    name: str
    model: LeadershipModel

    @property
    def month(self) -> int:
        return int(self.model.month)

    @property
    def horizon(self) -> int:
        return int(self.model.params.months)

    @property
    def sectors(self) -> list[str]:
        return list(self.model.params.population.sectors)

    @property
    def budget(self) -> float | None:
        return self.model.params.budget if self.model.interventions else None

    def series(self, metric: str) -> tuple[np.ndarray, np.ndarray]:
        rec = self.model.recorder
        upto = min(self.model.month, rec.values.shape[0] - 1)
        return rec.months[: upto + 1], rec.values[: upto + 1, rec.index[metric]]

    def reached_left(self) -> int | None:
        people = self.model.people
        ids = [iv.reached_ids for iv in self.model.interventions]
        reached = np.unique(np.concatenate(ids)) if ids else np.zeros(0, dtype=np.int64)
        return int((~people.alive[reached]).sum())

    def table(self) -> pd.DataFrame:
        frame = self.model.metrics()
        frame.insert(0, "seed", int(self.model.params.seed))
        frame.insert(0, "replication", 0)
        frame.insert(0, "scenario", self.label)
        return frame


@dataclass
class StoredRun(Run):
    """One (scenario, replication) of a results folder, shown up to :attr:`upto` (the replay slider)."""

    role: str
    name: str
    wide: pd.DataFrame  # one row per month 0..horizon, one column per metric, indexed by month
    resolved: dict = field(default_factory=dict)  # the scenario as the manifest records it
    seed: int = 0
    upto: int = 0
    replication: int = 0

    @property
    def month(self) -> int:
        return min(self.upto, self.horizon)

    @property
    def horizon(self) -> int:
        return int(self.wide.index.max())

    @property
    def sectors(self) -> list[str]:
        return [c[len("lever."):] for c in self.wide.columns if c.startswith("lever.")]

    @property
    def budget(self) -> float | None:
        return self.resolved.get("budget") if self.resolved.get("interventions") else None

    def series(self, metric: str) -> tuple[np.ndarray, np.ndarray]:
        part = self.wide.loc[: self.month, metric]
        return part.index.to_numpy(), part.to_numpy(dtype=float)

    def table(self) -> pd.DataFrame:
        part = self.wide.loc[: self.month].reset_index().melt(id_vars="month", var_name="metric")
        part = part.sort_values(["month"], kind="stable")
        part.insert(0, "seed", self.seed)
        part.insert(0, "replication", self.replication)
        part.insert(0, "scenario", self.label)
        return part.reset_index(drop=True)


def runs_table(runs: Sequence[Run]) -> pd.DataFrame:
    """Every run's long table, one after the other (what the page's CSV download holds)."""
    return pd.concat([r.table() for r in runs], ignore_index=True)


def paired_difference(run: Run, reference: Run, metric: str) -> tuple[np.ndarray, np.ndarray]:
    """``run - reference`` month by month over the months both have (same seed: the paired difference)."""
    months, values = run.series(metric)
    _, ref = reference.series(metric)
    n = min(len(values), len(ref))
    return months[:n], values[:n] - ref[:n]


# ---- replaying a results folder ------------------------------------------------------------------------------
def load_replay(folder: str | Path, replication: int = 0) -> list[StoredRun]:
    """The runs of ``folder`` (a ``leadsim run`` or ``leadsim compare`` results folder), replication
    ``replication``: business as usual first (a scenario without interventions, if there is one), then up to two
    strategies. Raises :class:`ReplayError` naming the folder and what is wrong."""
    path = Path(folder)
    manifest = _manifest(path)
    metrics = path / "metrics.parquet"
    try:
        table = pd.read_parquet(metrics)
    except (OSError, ValueError) as exc:
        raise ReplayError(f"{metrics}: cannot be read ({exc}). Allowed: a results folder written by leadsim run "
                          "or leadsim compare") from None
    table = table[table.replication == replication]
    if table.empty:
        have = sorted(pd.read_parquet(metrics, columns=["replication"]).replication.unique().tolist())
        raise ReplayError(f"{path}: has no replication {replication}. Allowed: --replication one of "
                          f"{', '.join(map(str, have))}")
    resolved = {s.get("name"): s.get("resolved", {}) for s in manifest.get("scenarios", [])}
    names = list(dict.fromkeys(table.scenario))
    bau = [n for n in names if not resolved.get(n, {}).get("interventions")]
    strategies = [n for n in names if n not in bau[:1]]
    if len(strategies) > 2:
        raise ReplayError(f"{path}: holds {len(names)} scenarios ({', '.join(names)}); the app shows business as "
                          "usual and at most two strategies. Allowed: a folder of at most three scenarios")
    order = [(BAU, bau[0])] if bau else []
    order += list(zip(("A", "B"), strategies, strict=False))
    runs = []
    for role, name in order:
        part = table[table.scenario == name]
        wide = part.pivot_table(index="month", columns="metric", values="value", sort=False)
        runs.append(StoredRun(role=role, name=name, wide=wide, resolved=resolved.get(name, {}),
                              seed=int(part.seed.iloc[0]), replication=replication))
    return runs


def _manifest(path: Path) -> dict:
    if not path.is_dir():
        raise ReplayError(f"{path}: is not a folder. Allowed: a results folder written by leadsim run or leadsim "
                          "compare, e.g. results/baseline")
    try:
        manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        manifest = None
    if folder_kind(manifest) not in ("run", "compare"):
        raise ReplayError(f"{path}: has no manifest.json of a leadsim run or comparison, so leadsim cannot "
                          "replay it. Allowed: a folder written by leadsim run or leadsim compare")
    return manifest
