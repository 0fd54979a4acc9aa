"""The collective route's measures and the community at rest: bridge survival, a Leadership-in-Action-like lab, a
large collective programme, and business as usual's drift and engaged share."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..core.network import CROSS_ORG
from ..core.scenario import Scenario
from .common import PEOPLE, POINTS, SEEDS, Estimate, Values, _model, business_as_usual, community


# ---- bridges ----------------------------------------------------------------------------------------------------
def bridge_survival(seeds: tuple[int, ...] = SEEDS, start: int = 12, people: int = PEOPLE,
                    base: Scenario | None = None, values: Values = None) -> Estimate:
    """Share of the weak bridges present at ``start`` (cross-organization or cross-sector ties below the strong
    weight) still present a year later, among those not reinforced in the year and whose two people are still
    in the community (Burt 2002 followed the bridges of people who stayed)."""
    scenario = community(people, start + 12, base=base, values=values)
    values = []
    for seed in seeds:
        model = _model(scenario, seed)
        model.run_for(start)
        t = model.ties
        weak = (t.kind >= CROSS_ORG) & (t.weight < model.params.network.strong_tie_weight)
        keys, ends = t.key[weak].copy(), t.ends[weak].copy()
        model.run_for(12)
        t = model.ties
        where = np.searchsorted(t.key, keys)
        present = (where < len(t)) & (t.key[np.minimum(where, len(t) - 1)] == keys)
        reinforced = present & (t.last[np.minimum(where, len(t) - 1)] >= start)
        stayed = model.people.alive[ends[:, 0]] & model.people.alive[ends[:, 1]]
        followed = stayed & ~reinforced
        values.append(float((present & followed).sum() / max(followed.sum(), 1)))
    return Estimate.of(values)


# ---- the collective route ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RunSummary:
    """What the measures keep of one run: the community result at every month 0..horizon, the initiatives'
    statuses and the share of adoptions outside members' organizations at the horizon."""

    result: np.ndarray
    statuses: tuple[str, ...]
    outside: float
    engaged: np.ndarray
    """The engaged share of the living at every month 0..horizon."""


@lru_cache(maxsize=64)
def _summary(scenario_json: str, seed: int) -> RunSummary:
    """One run, summarised (cached: a BAU run is shared by the measures that pair against it)."""
    scenario = Scenario.model_validate_json(scenario_json)
    model = _model(scenario, seed)
    model.run_for(scenario.months)
    path = model.recorder.values[:, model.recorder.index["community_result"]].copy()
    outside = float(model.recorder.values[-1, model.recorder.index["adoptions_outside_share"]])
    engaged = model.recorder.values[:, model.recorder.index["engaged_share"]].copy()
    return RunSummary(path, tuple(i.status for i in model.initiatives), outside, engaged)


def run_summary(scenario: Scenario, seed: int) -> RunSummary:
    """The (cached) summary of one run of ``scenario`` on ``seed``."""
    return _summary(scenario.model_dump_json(), seed)


def paired_points(scenario: Scenario, seed: int) -> np.ndarray:
    """The programme's effect on the community result at every month, in points (programme run minus BAU)."""
    return POINTS * (run_summary(scenario, seed).result - run_summary(business_as_usual(scenario), seed).result)


def lab_scenario(members: int = 40, months: int = 48, people: int = PEOPLE, base: Scenario | None = None,
                 values: Values = None) -> Scenario:
    """One change lab of ``members`` senior leaders from every sector at month 0 (the intervention's defaults)."""
    lab = {"type": "change_lab", "params": {"participants": members, "end_month": 1}}
    return community(people, months, [lab], base, values)


def lab_effect(seeds: tuple[int, ...] = SEEDS, months: tuple[int, ...] = (18, 48), members: int = 40,
               people: int = PEOPLE, base: Scenario | None = None, values: Values = None) -> dict[int, Estimate]:
    """A Leadership-in-Action-like lab's community-result change against BAU, in points, at each of ``months``."""
    scenario = lab_scenario(members, max(months), people, base, values)
    paths = [paired_points(scenario, seed) for seed in seeds]
    return {m: Estimate.of([path[m] for path in paths]) for m in months}


@dataclass(frozen=True)
class Baseline:
    """Business as usual over the horizon: the community result's drift (points) and the engaged share at the end
    (month 0's is ``population.initial_engaged_share`` by construction)."""

    drift: Estimate
    engaged_share: Estimate


def business_as_usual_outcomes(seeds: tuple[int, ...] = SEEDS, months: int = 60, people: int = PEOPLE,
                               base: Scenario | None = None, values: Values = None) -> Baseline:
    """Business as usual's change of the community result over ``months``, in points, and its engaged share at
    ``months``."""
    scenario = community(people, months, base=base, values=values)
    runs = [run_summary(scenario, seed) for seed in seeds]
    return Baseline(Estimate.of([POINTS * (run.result[-1] - run.result[0]) for run in runs]),
                    Estimate.of([float(run.engaged[-1]) for run in runs]))


COLLECTIVE_BUDGET = 1_200_000.0
"""A large collective programme's money over 60 months in the 2,000-person community: about 600 a person, near
Communities That Care's cost of about $556 per youth over five years (EVIDENCE.md)."""


def collective_scenario(budget: float = COLLECTIVE_BUDGET, months: int = 60, people: int = PEOPLE,
                        base: Scenario | None = None, values: Values = None) -> Scenario:
    """Change labs and hosting with follow-up sharing ``budget`` (the shipped files' parameters)."""
    programmes = [
        {"type": "change_lab", "params": {"selection": "stratified", "every_months": 36}},
        {"type": "hosting", "params": {"selection": "random", "every_months": 6, "cost_per_participant": 60,
                                       "follow_up_months": 12}},
    ]
    return community(people, months, programmes, base, values).model_copy(update={"budget": budget})


@dataclass(frozen=True)
class CollectiveOutcomes:
    """A large collective programme, paired against BAU: points a year, and the share of adoptions outside members'
    own organizations (reported as a metric; no published figure holds it)."""

    points_per_year: Estimate
    adoptions_outside_share: Estimate
    initiatives: int
    """Initiatives formed over all seeds (how much the shares rest on)."""


def collective_programme(seeds: tuple[int, ...] = SEEDS, budget: float = COLLECTIVE_BUDGET, months: int = 60,
                         people: int = PEOPLE, base: Scenario | None = None,
                         values: Values = None) -> CollectiveOutcomes:
    """Points a year over ``months`` (paired against BAU) and the share of adoptions outside members' orgs."""
    scenario = collective_scenario(budget, months, people, base, values)
    years = months / 12.0
    rate, outside = [], []
    formed = 0
    for seed in seeds:
        rate.append(float(paired_points(scenario, seed)[-1]) / years)
        run = run_summary(scenario, seed)
        formed += len(run.statuses)
        outside.append(run.outside)
    return CollectiveOutcomes(Estimate.of(rate), Estimate.of(outside), formed)
