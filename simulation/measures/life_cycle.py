"""The life cycle of funded initiatives: survival, failure, fading and completion around the end of funding, and how
active their members are.

Programme-started initiatives are few (10-20 a seed outlive their funding in the three programmes), so this measure
pools :data:`LIFE_SEEDS`, more seeds than the others use.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from ..core.model import LeadershipModel
from ..core.scenario import Scenario
from .common import PEOPLE, Estimate, Values, _model, community

LIFE_PROGRAMMES = ("change_lab", "place_based", "social_entrepreneurship")
"""The programmes whose initiatives are funded and supported, as the coalitions of the survival studies were."""

LIFE_SEEDS = tuple(range(11, 31))
"""The seeds the life cycle uses by default: 20, since one seed's programmes start only 30-40 initiatives and the
split by members' activity (:func:`_activity_gap`) compares halves of the 10-20 that outlive their funding."""

FUNDED_YEARS = 4
"""Years of funding the survival measure looks at, at most: CTC's funded period was three years (Feinberg et al.
2008) and PROSPER's teams were followed over five (Greenberg et al. 2015); a programme that funds its initiatives
longer is held to the same span, since no figure covers survival over a longer funded period."""

FOLLOW_MONTHS = 48
"""Months after the end of funding over which survival is followed (Feinberg et al. 2008: four years)."""


@dataclass(frozen=True)
class LifeCycle:
    """What happened to programme-started initiatives around the end of their funding (each field is the evidence
    target of the same name under ``initiatives.``)."""

    survive_funded_period: Estimate
    failure_rate_funded: Estimate
    termination_after_funding: Estimate
    alive_4y_after_funding: Estimate
    completion_share: Estimate
    active_members: Estimate
    activity_predicts_survival: Estimate
    initiatives: int


class Fate(NamedTuple):
    """What became of one programme-started initiative."""

    created: int
    funded_until: int
    ended: int
    """The month it ended, or the horizon."""
    status: str
    lifetime: int
    activity_at_funding_end: float
    """Its members' mean engagement in the month its funding ended (NaN if it had ended by then)."""
    activity_after: tuple[float, int]
    """The sum, over its months after funding, of its members' mean engagement, and the number of those months."""


def _activity(model: LeadershipModel, initiative) -> float:
    """Members' attention as the model reads it (``initiatives._advance``): their mean engagement."""
    engagement = model.people.engagement[initiative.living_members()]
    return float(engagement.mean()) if len(engagement) else math.nan


def initiative_fates(scenario: Scenario, seed: int) -> list[Fate]:
    """What became of each programme-started initiative of one run of ``scenario`` on ``seed``."""
    model = _model(scenario, seed)
    ended: dict[int, int] = {}
    at_end: dict[int, float] = {}
    after: dict[int, list[float]] = {}
    for _ in range(scenario.months):
        active = [i for i in model.initiatives if i.active]
        for i in active:
            if i.funded_until >= 0 and model.month >= i.funded_until:
                activity = _activity(model, i)
                if model.month == i.funded_until:
                    at_end[i.index] = activity
                if not math.isnan(activity):
                    after.setdefault(i.index, []).append(activity)
        model.step()
        ended.update({i.index: model.month for i in active if not i.active})
    return [Fate(i.created, i.funded_until, ended.get(i.index, scenario.months), i.status, i.lifetime,
                 at_end.get(i.index, math.nan), (sum(after.get(i.index, [])), len(after.get(i.index, []))))
            for i in model.initiatives if i.funded_until >= 0]


def life_scenarios(months: int = 120, people: int = PEOPLE, base: Scenario | None = None,
                   values: Values = None) -> list[Scenario]:
    """Each of :data:`LIFE_PROGRAMMES` alone, at the shipped files' rate of spending (600,000 per 60 months)."""
    return [community(people, months, [{"type": kind}], base, values).model_copy(update={"budget": 10_000.0 * months})
            for kind in LIFE_PROGRAMMES]


RATES = ("survive", "fail", "end", "alive", "done", "active", "gap")
"""The per-seed rates, in :class:`LifeCycle`'s order."""


def funded_life_cycle(seeds: tuple[int, ...] = LIFE_SEEDS, months: int = 120, people: int = PEOPLE,
                      base: Scenario | None = None, values: Values = None) -> LifeCycle:
    """Each of :data:`LIFE_PROGRAMMES` at the shipped files' rate of spending (600,000 per 60 months), over
    ``months`` so that initiatives outlive their funding; each seed pools the programmes' initiatives."""
    per_seed: dict[str, list[float]] = {k: [] for k in RATES}
    count = 0
    for seed in seeds:
        fates: list[Fate] = []
        for scenario in life_scenarios(months, people, base, values):
            fates += initiative_fates(scenario, seed)
        count += len(fates)
        for key, value in _rates(fates, months).items():
            per_seed[key].append(value)
    return LifeCycle(*(Estimate.of(per_seed[k]) for k in RATES), initiatives=count)


def _ratio(a: float, b: float) -> float:
    return a / b if b > 0 else math.nan


def _alive_after(f: Fate) -> bool:
    """Still operating (or completed) :data:`FOLLOW_MONTHS` after its funding ended."""
    return f.ended >= f.funded_until + FOLLOW_MONTHS or f.status == "completed"


def activity_halves(followed: list[Fate]) -> tuple[float, float]:
    """The share alive :data:`FOLLOW_MONTHS` after funding in the less and in the more active half of ``followed``
    (members' mean engagement when the funding ended; the middle one of an odd number left out, ties kept in the
    order the initiatives were started); NaNs when fewer than two were measured."""
    scored = [f for f in followed if not math.isnan(f.activity_at_funding_end)]
    half = len(scored) // 2
    if half == 0:
        return math.nan, math.nan
    order = np.argsort([f.activity_at_funding_end for f in scored], kind="stable")
    alive = np.array([_alive_after(f) for f in scored], dtype=float)[order]
    return float(alive[:half].mean()), float(alive[-half:].mean())


def _activity_gap(followed: list[Fate]) -> float:
    """The more active half's share alive after funding minus the less active half's (:func:`activity_halves`)."""
    low, high = activity_halves(followed)
    return high - low


def followed_after_funding(fates: list[Fate], months: int) -> list[Fate]:
    """Those active when their funding ended whose follow-up of :data:`FOLLOW_MONTHS` ends by ``months``."""
    return [f for f in fates if f.ended >= f.funded_until and f.funded_until + FOLLOW_MONTHS <= months]


def _rates(fates: list[Fate], months: int) -> dict[str, float]:
    """The rates of :class:`LifeCycle` for one seed's initiatives (docs/evidence.md gives the definitions)."""
    # Survival is held at the end of the funding or FUNDED_YEARS into it, whichever is sooner (the evidence is on
    # funded periods of three to five years); the rates after funding follow those alive when it ended.
    def held(f: Fate) -> int:
        return min(f.funded_until, f.created + 12 * FUNDED_YEARS)

    due = [f for f in fates if held(f) <= months]
    survived = [f for f in fates if f.funded_until <= months and f.ended >= f.funded_until]
    followed = followed_after_funding(fates, months)
    funded_years = sum(max(0, min(f.funded_until, f.ended) - f.created) for f in fates) / 12.0
    failed_funded = sum(1 for f in fates if f.status in ("failed", "dissolved") and f.ended < f.funded_until)
    after_years = sum(max(0, f.ended - f.funded_until) for f in survived) / 12.0
    ended_after = sum(1 for f in survived if f.status in ("failed", "faded", "dissolved") and f.ended < months)
    over = [f for f in fates if f.created + f.lifetime < months]  # whose planned life ended before the horizon
    activity, activity_months = (sum(f.activity_after[k] for f in fates) for k in (0, 1))
    return {"survive": _ratio(sum(1 for f in due if f.ended >= held(f)), len(due)),
            "fail": _ratio(failed_funded, funded_years), "end": _ratio(ended_after, after_years),
            "alive": _ratio(sum(1 for f in followed if _alive_after(f)), len(followed)),
            "done": _ratio(sum(1 for f in over if f.status == "completed"), len(over)),
            "active": _ratio(activity, activity_months), "gap": _activity_gap(followed)}
