"""The leadsim model: one month per step, in a fixed, documented order.

Each process of the month is one call with the model as its only argument: a function ``f(model) -> None`` of
its submodel's module (for interventions and the metrics recorder, a method of the object), which reads the
model's state and writes its part of it (each module's docstring lists what it reads and writes). The step makes
the calls in this order (docs/ODD.md §3 "Process overview and scheduling"):

1. interventions act (new events on schedule, ongoing effects)       ``interventions/``
2. leaders' quality, then transfer and forgetting                     ``leadership.py``, ``learning.py``
3. organizational learning (March 1991)                                ``learning.py``
4. social influence on engagement (complex contagion) and purpose      ``engagement.py``
5. tie formation, then decay of unreinforced bridges (update_ties)     ``network_formation.py``, ``network.py``
6. initiatives form, progress (or fail) and spread                     ``initiatives.py``
7. community levers and result                                         ``community.py``
8. turnover: people leave and are replaced                             ``turnover.py``
9. metrics are recorded for the month just completed                   ``metrics.py``
"""

from __future__ import annotations

from typing import Literal

import mesa
import numpy as np

from .agents import Organization, Person
from .community import start_result, update_result
from .engagement import spread_engagement, spread_purpose
from .initiatives import Initiative, form_initiatives, progress_initiatives, spread_initiatives
from .interventions import Intervention, intervention_class
from .leadership import assess_leaders, start_leadership
from .learning import forget, initial_practice, organizational_learning, update_practice
from .metrics import MetricsRecorder
from .network_formation import initial_network, update_ties
from .population import build_population
from .scenario import Scenario
from .streams import Streams
from .turnover import apply_turnover


class LeadershipModel(mesa.Model):
    """People, organizations, a social network, collective initiatives and a community result.

    >>> from simulation import LeadershipModel, Scenario
    >>> model = LeadershipModel(Scenario(population={"people": 300}, months=6), rng=7)
    >>> model.run_for(6)
    >>> model.month, 0.0 < model.result < 1.0
    (6, True)

    Args:
        scenario: the validated parameters (``model.params``); defaults to ``Scenario()``.
        rng: the run seed; defaults to ``scenario.seed``. All randomness flows from it (``model.streams``).
        interventions: extra intervention objects, added after those the scenario names.
        person_agents: create a Mesa ``Person`` view per person (needed for ``model.agents``; a large study can
            switch it off to save memory and set-up time - the arrays and results do not change).
        record: ``"all"`` records metrics every month; ``"final"`` only at the final month (``scenario.months``),
            for studies that keep nothing else - the final row is the same, the run about a fifth faster.
    """

    def __init__(self, scenario: Scenario | None = None, rng: int | None = None,
                 interventions: list[Intervention] | None = None, person_agents: bool = True,
                 record: Literal["all", "final"] = "all") -> None:
        if record not in ("all", "final"):
            raise ValueError(f"record must be 'all' or 'final', not {record!r}")
        scenario = scenario if scenario is not None else Scenario()
        seed = int(scenario.seed if rng is None else rng)
        super().__init__(rng=seed)
        self.params = scenario
        self.seed = seed
        self.streams = Streams(seed)
        self.month = 0
        pop = scenario.population
        self.people, self.orgs, starts = build_population(pop, self.streams)
        self.ties = initial_network(self.people, starts, self.orgs.size, scenario.network, self.streams)
        self.leader_reference: np.ndarray
        self.unit_quality: np.ndarray
        self.own_quality: np.ndarray
        self.org_quality: np.ndarray
        start_leadership(self)
        update_practice(self)
        initial_practice(self)
        self._settle_organizations()
        self._sector_population = np.bincount(self.orgs.sector, weights=self.orgs.size,
                                              minlength=len(pop.sectors))
        self.person_agents = person_agents
        self._organizations: list[Organization] | None = None
        if person_agents:
            self._organizations = [Organization(self, o) for o in range(self.orgs.count)]
        self._persons: dict[int, Person] = {}
        self._views_stale = person_agents  # Person views are synchronised lazily, when someone looks
        self.initiatives: list[Initiative] = []
        self.adoptions = [0, 0]  # organizations' adoptions of initiatives: by a member's own org, by another
        self.interventions = self._build_interventions(scenario, interventions or [])
        for intervention in self.interventions:
            intervention.attach(self)
        self.levers: np.ndarray
        self.result: float
        start_result(self)
        self.initial_result = self.result
        self.recorder = MetricsRecorder(self, final_only=record == "final")
        self.recorder.collect(self)

    # ---- set-up helpers --------------------------------------------------------------------------------
    def _build_interventions(self, scenario: Scenario, extra: list[Intervention]) -> list[Intervention]:
        built = [intervention_class(spec.type)(spec.params, budget=scenario.budget_of(spec), label=spec.name)
                 for spec in scenario.interventions]
        return built + list(extra)

    def _settle_organizations(self) -> None:
        """The organizations' history: ``learning.settling_months`` months of steps 2-3 alone (leaders' quality,
        transfer, forgetting, organizational learning), so their practice starts where mutual learning and
        forgetting balance; then the leader reference is measured on the settled community (quality 0 is its
        typical leader at month 0). No new random draws (the fast-learner trait is fixed per person id)."""
        months = self.params.learning.settling_months
        if months <= 0:
            return
        for _ in range(months):
            assess_leaders(self)
            update_practice(self)
            forget(self)
            organizational_learning(self)
        start_leadership(self)
        update_practice(self)

    def _sync_person_views(self) -> None:
        """Create views for people who arrived and remove those of people who left since the last look.

        Why lazily: turnover replaces about 1% of people a month, and creating or removing a Mesa agent costs
        microseconds each. Doing it only when ``model.agents`` is read keeps the step free of per-person Python.
        """
        if not self._views_stale:
            return
        self._views_stale = False
        alive = self.people.alive[: self.people.count]
        for pid in [pid for pid in self._persons if not alive[pid]]:
            self._persons.pop(pid).remove()
        known = np.zeros(self.people.count, dtype=bool)
        known[list(self._persons)] = True
        for pid in np.flatnonzero(alive & ~known).tolist():
            self._persons[pid] = Person(self, pid)

    @property
    def organizations(self) -> list[Organization]:
        """The Mesa view of each organization (row ``oid`` of ``model.orgs``).

        Without person views (studies) they are created at the first look: a study's runs never look, and
        creating a few hundred Mesa agents was a millisecond of every run's set-up.
        """
        if self._organizations is None:
            self._organizations = [Organization(self, o) for o in range(self.orgs.count)]
        return self._organizations

    @property
    def agents(self):
        """All Mesa agents (people, organizations, collectives); person views are brought up to date first."""
        self.organizations  # noqa: B018 - created on first look
        self._sync_person_views()
        return super().agents

    @property
    def agents_by_type(self):
        self.organizations  # noqa: B018 - created on first look
        self._sync_person_views()
        return super().agents_by_type

    # ---- the step ----------------------------------------------------------------------------------------
    def step(self) -> None:
        """Advance one month (see the module docstring for the order)."""
        for intervention in self.interventions:
            intervention.run_month(self)
        assess_leaders(self)
        update_practice(self)
        forget(self)
        organizational_learning(self)
        spread_engagement(self)
        spread_purpose(self)
        update_ties(self)
        form_initiatives(self)
        progress_initiatives(self)
        spread_initiatives(self)
        update_result(self)
        apply_turnover(self)
        self.month += 1
        if self.month >= self.params.months:
            self.running = False
        if self.month <= self.params.months:
            self.recorder.collect(self)

    # ---- hooks and queries -------------------------------------------------------------------------------
    def on_people_replaced(self, leavers: np.ndarray, newcomers: np.ndarray) -> None:
        """Turnover changed who is alive: person views will be synchronised at the next look."""
        self._views_stale = self.person_agents

    def person(self, pid: int) -> Person | None:
        """The Mesa view of a living person (None if they left, or if views are off)."""
        self._sync_person_views()
        return self._persons.get(int(pid))

    def sector_population(self) -> np.ndarray:
        """Employees per sector (constant: leavers are replaced in the same organization)."""
        return self._sector_population

    def org_practice(self) -> float:
        """Size-weighted mean organizational practice level."""
        total = self.orgs.size.sum()
        return float((self.orgs.practice_level() * self.orgs.size).sum() / total) if total else 0.0

    def metrics(self):
        """The tidy long table (month, metric, value) of the months run (and recorded) so far."""
        return self.recorder.frame(upto=self.month)

    @property
    def datacollector(self) -> mesa.DataCollector:
        """The metrics recorded so far as a ``mesa.DataCollector`` (a model variable per metric, a value per recorded
        month), which ``mesa.batch_run`` and ``get_model_vars_dataframe()`` read. A new view at each look."""
        rows = int(np.searchsorted(self.recorder.months, self.month, side="right"))
        view = mesa.DataCollector({name: name for name in self.recorder.names})
        view.model_vars = {name: self.recorder.values[:rows, i].tolist() for i, name in enumerate(self.recorder.names)}
        view._collection_steps = self.recorder.months[:rows].tolist()
        return view

