"""The intervention contract: a development strategy is a subclass of :class:`Intervention` that writes hooks.

Every strategy is registered by name with :func:`register`, so a scenario file can name it and a researcher can add
one in a notebook (docs/interventions.md has a complete example)::

    @register
    class MyProgramme(Intervention):
        name = "my_programme"
        summary = "What it does, in one line."
        source = "Where the mechanism comes from."
        Params = MyProgrammeParams          # a subclass of InterventionParams

        def start_event(self, model, participants):   # a cohort, a gathering, a lab...
            meet(model, participants[:-1], participants[1:])

Hooks a subclass may write (each has a default; write only those the mechanism needs): ``setup(model)``,
``eligible(model)``, ``head_cost(month)``, ``committed_cost()``, ``event_size(model)``, ``is_funded(model)``,
``choose(model, k)``, ``start_event(model, participants)`` and ``step(model)``.

Responsibilities of the base class: the schedule (``start_month``, ``end_month``, ``every_months``), sizing each
event to the budget (one formula, :meth:`Intervention.affordable`), choosing participants with a selection strategy,
charging the cost model (per participant, per event, fixed per month) and recording who was reached. The model calls
:meth:`Intervention.attach` once and :meth:`Intervention.run_month` every month; subclasses do not override those.

Reads the model's people (who is alive), its month and horizon, and the selection strategy's inputs. Writes the
intervention's own account (``spent``, ``events``, ``reached_ids``); what an event does to the model is the
subclass's ``start_event`` and ``step``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, final

import numpy as np
from pydantic import BaseModel, ConfigDict, field_validator
from pydantic_core import PydanticCustomError

from ..provenance import ASSUMPTION, SETTING, param
from .registry import REGISTRY
from .selection import SELECTIONS, select

if TYPE_CHECKING:
    from ..model import LeadershipModel

UNLIMITED = 10**9  # participants per event when a participant costs nothing: everyone eligible
_FINAL = ("attach", "run_month")  # the base class's entry points, which subclasses must not override

# Where most of these parameters come from as ideas (the concept source; values are in each field).
CONCEPT = "the intervention contract (docs/ODD.md §8.1)"


class InterventionParams(BaseModel):
    """Parameters every intervention has: schedule, selection and cost model."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    start_month: int = param(0, ge=0, le=1200, unit="months", concept=CONCEPT,
                             value=SETTING, description="First month an event starts.")
    end_month: int | None = param(None, ge=0, le=1200, unit="months",
                                  concept=CONCEPT, value=SETTING,
                                  description="No event starts at or after this month "
                                              "(default: the horizon).")
    every_months: int = param(12, ge=1, le=1200, unit="months", concept=CONCEPT,
                              value=SETTING, description="Months between events (cohorts, gatherings...).")
    selection: str = param("random", unit="choice", concept=CONCEPT,
                           value=SETTING, description=f"How participants are chosen: one of {', '.join(SELECTIONS)}.")
    participants: int | None = param(None, ge=0, le=10_000_000, unit="people per event",
                                     concept=CONCEPT, value=SETTING,
                                     description="Participants per event. With a budget: at most this many "
                                                 "(default: as many as it affords). Without one: exactly this.")
    cost_per_participant: float = param(1000.0, ge=0, le=1e9, unit="currency",
                                        concept=CONCEPT, value=ASSUMPTION,
                                        description="Cost of one participant in one event.")
    cost_per_event: float = param(0.0, ge=0, le=1e10, unit="currency",
                                  concept=CONCEPT, value=ASSUMPTION,
                                  description="Fixed cost of running one event.")
    fixed_cost_per_month: float = param(0.0, ge=0, le=1e9, unit="currency per month",
                                        concept=CONCEPT, value=ASSUMPTION,
                                        description="Running cost while the intervention "
                                                    "is on (staff, an intermediary...).")

    @field_validator("selection")
    @classmethod
    def _known_selection(cls, value: str) -> str:
        """A selection a file or a caller gives, in every subclass (which redeclare the field with their own
        default): an error of type ``choice`` whose context lists the ``choices``, so that a reader of the error
        can say what is allowed and which one was meant."""
        if value not in SELECTIONS:
            raise PydanticCustomError("choice", "selection {input} is not one of {allowed}",
                                      {"input": repr(value), "allowed": ", ".join(SELECTIONS),
                                       "choices": tuple(SELECTIONS)})
        return value

    def model_post_init(self, context: Any) -> None:
        if self.selection not in SELECTIONS:  # a subclass's default (pydantic does not validate defaults)
            raise ValueError(f"selection {self.selection!r} is not one of {', '.join(SELECTIONS)}")


class Intervention:
    """Base class: schedule, budget, selection and bookkeeping; subclasses add a mechanism through hooks."""

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
        self.horizon = 0  # the run's months, known once attached to a model
        self.funded = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        overridden = [name for name in _FINAL if name in vars(cls)]
        if overridden:
            raise TypeError(f"{cls.__name__} overrides {', '.join(overridden)}: write the hooks instead "
                            "(setup, start_event, step ...; see Intervention)")

    # ---- hooks: override those the mechanism needs -------------------------------------------------------
    def setup(self, model: LeadershipModel) -> None:
        """Once, before the first month: the subclass's own state. ``self.horizon`` is already set."""

    def eligible(self, model: LeadershipModel) -> np.ndarray:
        """Boolean mask (over ids) of who may be chosen; default: living people not reached before."""
        n = model.people.count
        mask = model.people.alive[:n].copy()
        reached = self._reached_mask[:n]
        mask[: len(reached)] &= ~reached
        return mask

    def head_cost(self, month: int) -> float:
        """What one participant of the event starting in ``month`` costs in all; default ``cost_per_participant``.
        Override when participants keep costing after the event starts (sessions, monthly seats)."""
        return self.params.cost_per_participant

    def committed_cost(self) -> float:
        """Money the programme spends over the horizon whatever the events' size (scheduled gatherings); default 0."""
        return 0.0

    def event_size(self, model: LeadershipModel) -> int:
        """Participants per event; default: what the budget affords over the whole programme.

        The money is the budget less fixed costs (``fixed_cost_per_month`` over the months it runs),
        :meth:`committed_cost` and ``cost_per_event`` for every event; one participant per event costs the sum of
        :meth:`head_cost` over the event months. No event months: 0.
        """
        prm = self.params
        months = self.event_months()
        if not months:
            return 0
        money = None
        if self.budget is not None:
            fixed = prm.fixed_cost_per_month * max(0, self.end_month - prm.start_month)
            money = self.budget - fixed - self.committed_cost() - prm.cost_per_event * len(months)
        return self.affordable(money, float(sum(self.head_cost(m) for m in months)))

    def is_funded(self, model: LeadershipModel) -> bool:
        """Whether the programme runs at all (decided once, after ``setup``); default: an event has a participant.
        An unfunded programme (a zero budget, or no participants) pays no fixed costs either: it changes nothing."""
        return self.event_size(model) > 0

    def choose(self, model: LeadershipModel, k: int) -> np.ndarray:
        """Up to ``k`` eligible people, by the selection strategy, on the stream ``f"{label}.select"``."""
        return select(self.params.selection, model, k, self.eligible(model), stream=f"{self.label}.select")

    def start_event(self, model: LeadershipModel, participants: np.ndarray) -> None:
        """Start one event (a cohort, a gathering, a lab) with these participants (already charged and counted)."""

    def step(self, model: LeadershipModel) -> None:
        """Every month, after any event of the month has started: the ongoing effects of events already started
        (sessions, alumni gatherings, follow-up). Runs also after the last event, so running programmes finish."""

    # ---- the budget formula ------------------------------------------------------------------------------
    @final
    def affordable(self, money: float | None, cost_per_head: float) -> int:
        """Participants that ``money`` pays for at ``cost_per_head`` each, at most ``participants``: the one budget
        formula every intervention sizes its events with.

        ``money`` None means unbudgeted: the size is ``participants`` (0 if unset). ``money`` at or below 0 (a zero
        budget, or fixed costs that exceed it) affords no one. A participant who costs nothing is unlimited: the
        size is ``participants`` if set, else everyone eligible.
        """
        prm = self.params
        if money is None:
            return int(prm.participants or 0)
        if money <= 0:
            return 0
        size = int(money // cost_per_head) if cost_per_head > 0 else UNLIMITED
        return size if prm.participants is None else min(size, prm.participants)

    # ---- the entry points the model calls (do not override) ----------------------------------------------
    @final
    def attach(self, model: LeadershipModel) -> None:
        """Called by the model once, before the first month (do not override): sets the horizon and the reach
        record, calls the :meth:`setup` hook, then fixes the schedule and whether the programme is funded."""
        self.horizon = model.params.months
        self._reached_mask = np.zeros(model.people.size, dtype=bool)
        self.setup(model)
        self._event_set = set(self.event_months())
        self.funded = self.is_funded(model)

    @final
    def run_month(self, model: LeadershipModel) -> None:
        """Called by the model every month (do not override): fixed costs while the programme runs, an event on
        schedule (size, choose, charge, record reach, :meth:`start_event`), then the :meth:`step` hook."""
        month = model.month
        if self.funded and self.running(month):
            self.charge(self.params.fixed_cost_per_month)
            if month in self._event_set:
                self._hold_event(model)
        self.step(model)

    def _hold_event(self, model: LeadershipModel) -> None:
        size = self.event_size(model)
        chosen = self.choose(model, size) if size > 0 else np.zeros(0, dtype=np.int64)
        if len(chosen):
            self.charge(self.params.cost_per_event + self.params.cost_per_participant * len(chosen))
            self.record_reach(chosen)
            self.events += 1
            self.start_event(model, chosen)

    # ---- schedule and account ----------------------------------------------------------------------------
    @property
    def end_month(self) -> int:
        """No event starts at or after this month: ``params.end_month``, at most the horizon."""
        end = self.params.end_month
        return self.horizon if end is None else min(end, self.horizon)

    def event_months(self) -> list[int]:
        return list(range(self.params.start_month, self.end_month, self.params.every_months))

    def running(self, month: int) -> bool:
        return self.params.start_month <= month < self.end_month

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
