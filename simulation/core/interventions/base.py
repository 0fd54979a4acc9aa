"""The intervention contract: declare parameters, set up, act each month, report cost and reach.

Every development strategy is a subclass of :class:`Intervention` registered by name with :func:`register`, so a
scenario file can name it and a researcher can add one in a notebook::

    @register
    class MyProgramme(Intervention):
        name = "my_programme"
        summary = "What it does, in one line."
        source = "Where the mechanism comes from."
        Params = MyProgrammeParams          # a subclass of InterventionParams

        def start_event(self, model, participants):   # a cohort, a gathering, a lab...
            ...

The base class does the shared work: the schedule (``start_month``, ``end_month``, ``every_months``), sizing each
event to the budget, choosing participants with a selection strategy, charging the cost model (per participant, per
event, fixed per month) and recording who was reached. Subclasses implement the mechanism only.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from ..network import classify
from ..streams import pair_ids
from .selection import SELECTIONS, select

if TYPE_CHECKING:
    from ..model import LeadershipModel

REGISTRY: dict[str, type[Intervention]] = {}


class InterventionParams(BaseModel):
    """Parameters every intervention has: schedule, selection and cost model."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    start_month: int = Field(0, ge=0, le=1200, description="First month an event starts.")
    end_month: int | None = Field(None, ge=0, le=1200, description="No event starts at or after this month "
                                                                   "(default: the horizon).")
    every_months: int = Field(12, ge=1, le=1200, description="Months between events (cohorts, gatherings...).")
    selection: str = Field("random", description=f"How participants are chosen: one of {', '.join(SELECTIONS)}.")
    participants: int | None = Field(None, ge=0, le=10_000_000,
                                     description="Participants per event. With a budget: at most this many "
                                                 "(default: as many as it affords). Without one: exactly this.")
    cost_per_participant: float = Field(1000.0, ge=0, le=1e9, description="Cost of one participant in one event.")
    cost_per_event: float = Field(0.0, ge=0, le=1e10, description="Fixed cost of running one event.")
    fixed_cost_per_month: float = Field(0.0, ge=0, le=1e9, description="Running cost while the intervention "
                                                                       "is on (staff, an intermediary...).")

    def model_post_init(self, context: Any) -> None:
        if self.selection not in SELECTIONS:
            raise ValueError(f"selection {self.selection!r} is not one of {', '.join(SELECTIONS)}")


class Intervention:
    """Base class: schedule, budget, selection and bookkeeping; subclasses add a mechanism."""

    name: ClassVar[str] = ""
    summary: ClassVar[str] = ""
    source: ClassVar[str] = ""
    Params: ClassVar[type[InterventionParams]] = InterventionParams

    def __init__(self, params: InterventionParams | dict[str, Any] | None = None, budget: float | None = None,
                 label: str | None = None) -> None:
        self.params = params if isinstance(params, InterventionParams) else self.Params(**(params or {}))
        self.budget = None if budget is None else float(budget)
        self.label = label or self.name
        self.spent = 0.0
        self.events = 0
        self.reached_ids: np.ndarray = np.zeros(0, dtype=np.int64)
        self._reached_mask = np.zeros(0, dtype=bool)

    # ---- contract: override these ----------------------------------------------------------------------
    def setup(self, model: LeadershipModel) -> None:
        """Called once after the model is built, before the first month."""
        self._horizon = model.params.months
        self._reached_mask = np.zeros(model.people.size, dtype=bool)

    def start_event(self, model: LeadershipModel, participants: np.ndarray) -> None:
        """Start one event (a cohort, a gathering, a lab) with these participants."""

    def act(self, model: LeadershipModel) -> None:
        """Ongoing monthly effects of events already started (workshops, alumni gatherings, follow-up)."""

    def eligible(self, model: LeadershipModel) -> np.ndarray:
        """Boolean mask (over ids) of who may be chosen; default: living people not reached before."""
        n = model.people.count
        mask = model.people.alive[:n].copy()
        reached = self._reached_mask[:n]
        mask[: len(reached)] &= ~reached
        return mask

    # ---- shared machinery -------------------------------------------------------------------------------
    @property
    def end_month(self) -> int:
        end = self.params.end_month
        return self._horizon if end is None else min(end, self._horizon)

    def event_months(self) -> list[int]:
        return list(range(self.params.start_month, self.end_month, self.params.every_months))

    def running(self, month: int) -> bool:
        return self.params.start_month <= month < self.end_month

    def event_size(self) -> int:
        """Participants per event: what the budget affords after fixed costs, capped by ``participants``.

        Without a budget (None) the size is ``participants`` (0 if unset).
        """
        prm = self.params
        if self.budget is None:
            return int(prm.participants or 0)
        n_events = max(1, len(self.event_months()))
        fixed = prm.fixed_cost_per_month * max(0, self.end_month - prm.start_month)
        per_event = (self.budget - fixed) / n_events - prm.cost_per_event
        if per_event <= 0:
            return 0
        affordable = int(per_event // prm.cost_per_participant) if prm.cost_per_participant > 0 else 10**9
        return affordable if prm.participants is None else min(affordable, prm.participants)

    def affordable_size(self, head_costs: Sequence[float], committed: float = 0.0) -> int:
        """Participants per event when a participant of event ``e`` costs ``head_costs[e]`` in all (for
        interventions whose participants keep costing after the event starts: sessions, monthly convenings) and
        ``committed`` is spent whatever the size (scheduled gatherings). Fixed and per-event costs are taken off
        first, as in :meth:`event_size`. Without a budget (None) the size is ``participants`` (0 if unset).
        """
        prm = self.params
        if self.budget is None:
            return int(prm.participants or 0)
        n_events = len(self.event_months())
        per_head = float(sum(head_costs))
        fixed = prm.fixed_cost_per_month * max(0, self.end_month - prm.start_month)
        available = self.budget - fixed - committed - prm.cost_per_event * n_events
        if n_events == 0 or available <= 0:
            return 0
        affordable = int(available // per_head) if per_head > 0 else 10**9
        return affordable if prm.participants is None else min(affordable, prm.participants)

    def step(self, model: LeadershipModel) -> None:
        """The monthly entry point the model calls: fixed costs, new events on schedule, then ongoing effects."""
        month = model.month
        if self.running(month) and self.funded:
            self.charge(self.params.fixed_cost_per_month)
            if month in self._event_set():
                size = self.event_size()
                chosen = self.choose(model, size) if size > 0 else np.zeros(0, dtype=np.int64)
                if len(chosen):
                    self.charge(self.params.cost_per_event + self.params.cost_per_participant * len(chosen))
                    self.record_reach(chosen)
                    self.events += 1
                    self.start_event(model, chosen)
        self.act(model)

    @property
    def funded(self) -> bool:
        """Whether the programme runs at all: it affords at least one participant per event. An unfunded
        programme (a zero budget, or no participants) pays no fixed costs either, so it changes nothing."""
        if not hasattr(self, "_funded"):
            self._funded = self.event_size() > 0
        return self._funded

    def _event_set(self) -> set[int]:
        if not hasattr(self, "_events_cache"):
            self._events_cache = set(self.event_months())
        return self._events_cache

    def choose(self, model: LeadershipModel, k: int) -> np.ndarray:
        return select(self.params.selection, model, k, self.eligible(model), stream=f"{self.label}.select")

    def charge(self, amount: float) -> None:
        self.spent += float(amount)

    def record_reach(self, ids: np.ndarray) -> None:
        """Count people as reached (each person once, however often they take part)."""
        ids = np.asarray(ids, dtype=np.int64)
        if len(self._reached_mask) < (int(ids.max()) + 1 if len(ids) else 0):
            grown = np.zeros(max(int(ids.max()) + 1, 2 * len(self._reached_mask)), dtype=bool)
            grown[: len(self._reached_mask)] = self._reached_mask
            self._reached_mask = grown
        new = ids[~self._reached_mask[ids]]
        self._reached_mask[new] = True
        self.reached_ids = np.concatenate([self.reached_ids, new])

    @property
    def people_reached(self) -> int:
        return len(self.reached_ids)

    def report(self) -> dict[str, float]:
        """What the intervention has spent and whom it has reached so far."""
        return {"cost_spent": self.spent, "people_reached": float(self.people_reached), "events": float(self.events)}

    def __repr__(self) -> str:
        return f"{type(self).__name__}(label={self.label!r}, spent={self.spent:,.0f}, reached={self.people_reached})"


def chunk_labels(n: int, size: int) -> np.ndarray:
    """Labels 0, 0, ..., 1, 1, ... cutting ``n`` ordered people into the fewest groups of at most ``size``,
    as even as possible (13 people in groups of 6 make 5 + 4 + 4, not 6 + 6 + 1)."""
    if n <= 0:
        return np.zeros(0, dtype=np.int64)
    n_groups = -(-n // max(1, size))
    return np.arange(n, dtype=np.int64) * n_groups // n


def group_pairs(members: np.ndarray, group: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every pair of ``members`` that share a ``group`` label (small groups: cohorts, circles, teams).

    Vectorised over members; the cost is members x largest group, so keep groups small (tens of people).
    """
    members = np.asarray(members, dtype=np.int64)
    group = np.asarray(group, dtype=np.int64)
    if len(members) < 2:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    order = np.lexsort((members, group))
    m, g = members[order], group[order]
    largest = int(np.unique(g, return_counts=True)[1].max())
    pa, pb = [], []
    for offset in range(1, largest):
        same = g[offset:] == g[:-offset]
        pa.append(m[:-offset][same])
        pb.append(m[offset:][same])
    if not pa:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(pa), np.concatenate(pb)


def connect_groups(model: LeadershipModel, members: np.ndarray, group: np.ndarray, weight: float,
                   reinforcement: float) -> int:
    """Tie every pair of ``members`` sharing a ``group`` label (new ties at ``weight``, existing ones
    reinforced by ``reinforcement``); kinds follow organization and sector. Returns how many ties were new."""
    a, b = group_pairs(members, group)
    if len(a) == 0:
        return 0
    kind = classify(a, b, model.people.org, model.people.sector)
    return model.ties.upsert(a, b, kind, model.month, weight, reinforcement)


def tie_at_least(model: LeadershipModel, a: np.ndarray, b: np.ndarray, weight: float) -> int:
    """Tie each pair (a, b) with a weight of at least ``weight``: new pairs are created at it, existing ties are
    raised to it (a mentor, a trusted partner); all count as reinforced this month. Returns how many were new."""
    a = np.asarray(a, dtype=np.int64)
    b = np.asarray(b, dtype=np.int64)
    ties = model.ties
    created = ties.upsert(a, b, classify(a, b, model.people.org, model.people.sector), model.month, weight, 0.0)
    keep = a != b
    pos = np.searchsorted(ties.key, pair_ids(a[keep], b[keep]))
    ties.weight[pos] = np.maximum(ties.weight[pos], np.float32(weight))
    return created


def register(cls: type[Intervention]) -> type[Intervention]:
    """Class decorator: make an intervention available to scenarios by its ``name``.

    See the module docstring for a whole intervention; the smallest one does nothing:

    >>> from simulation import Intervention, REGISTRY, register
    >>> @register
    ... class Nothing(Intervention):
    ...     name = "doc_example_nothing"
    ...     summary = "Does nothing."
    >>> "doc_example_nothing" in REGISTRY
    True
    >>> del REGISTRY["doc_example_nothing"]
    """
    if not cls.name:
        raise ValueError(f"{cls.__name__} needs a non-empty `name` to be registered")
    REGISTRY[cls.name] = cls
    return cls


def intervention_class(name: str) -> type[Intervention]:
    """The registered class for ``name``; an unknown name raises KeyError suggesting the closest names.

    >>> from simulation import intervention_class
    >>> intervention_class("hosting").Params().every_months
    6
    """
    try:
        return REGISTRY[name]
    except KeyError:
        import difflib

        close = difflib.get_close_matches(name, REGISTRY, n=3)
        hint = f" Did you mean {', '.join(close)}?" if close else ""
        raise KeyError(f"unknown intervention {name!r}.{hint} Known: {', '.join(sorted(REGISTRY))}") from None
