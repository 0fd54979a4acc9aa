"""The life cycle of funded initiatives: survival, failure, fading and completion around the end of funding."""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..core.scenario import Scenario
from .common import PEOPLE, SEEDS, Estimate, Values, _model, community

# ---- the life cycle of funded initiatives -------------------------------------------------------------------------
LIFE_PROGRAMMES = ("change_lab", "place_based", "social_entrepreneurship")
"""The programmes whose initiatives are funded and supported, as the coalitions of the survival studies were."""


@dataclass(frozen=True)
class LifeCycle:
    """What happened to programme-started initiatives around the end of their funding (each field is the evidence
    target of the same name under ``initiatives.``)."""

    survive_funded_period: Estimate
    failure_rate_funded: Estimate
    termination_after_funding: Estimate
    alive_4y_after_funding: Estimate
    completion_share: Estimate
    initiatives: int


FUNDED_YEARS = 4
"""Years of funding the survival measure looks at, at most: CTC's funded period was three years (Feinberg et al.
2008) and PROSPER's teams were followed over five (Greenberg et al. 2015); a programme that funds its initiatives
longer is held to the same span, since no figure covers survival over a longer funded period."""


Fate = tuple[int, int, int, str, int]
"""(month created, funded_until, month it ended or the horizon, status, lifetime) of a programme-started
initiative."""


def _fates(scenario: Scenario, seed: int) -> list[Fate]:
    model = _model(scenario, seed)
    ended: dict[int, int] = {}
    for _ in range(scenario.months):
        active = {i.index for i in model.initiatives if i.active}
        model.step()
        ended.update({i.index: model.month for i in model.initiatives if i.index in active and not i.active})
    return [(i.created, i.funded_until, ended.get(i.index, scenario.months), i.status, i.lifetime)
            for i in model.initiatives if i.funded_until >= 0]


def life_scenarios(months: int = 120, people: int = PEOPLE, base: Scenario | None = None,
                   values: Values = None) -> list[Scenario]:
    """Each of :data:`LIFE_PROGRAMMES` alone, at the shipped files' rate of spending (600,000 per 60 months)."""
    return [community(people, months, [{"type": kind}], base, values).model_copy(update={"budget": 10_000.0 * months})
            for kind in LIFE_PROGRAMMES]


def funded_life_cycle(seeds: tuple[int, ...] = SEEDS, months: int = 120, people: int = PEOPLE,
                      base: Scenario | None = None, values: Values = None) -> LifeCycle:
    """Each of :data:`LIFE_PROGRAMMES` at the shipped files' rate of spending (600,000 per 60 months), over
    ``months`` so that initiatives outlive their funding; each seed pools the programmes' initiatives."""
    per_seed: dict[str, list[float]] = {k: [] for k in ("survive", "fail", "end", "alive", "done")}
    count = 0
    for seed in seeds:
        fates: list[Fate] = []
        for scenario in life_scenarios(months, people, base, values):
            fates += _fates(scenario, seed)
        count += len(fates)
        for key, value in _rates(fates, months).items():
            per_seed[key].append(value)
    est = {k: Estimate.of([v for v in vals if not math.isnan(v)]) for k, vals in per_seed.items()}
    return LifeCycle(est["survive"], est["fail"], est["end"], est["alive"], est["done"], count)


def _ratio(a: float, b: float) -> float:
    return a / b if b > 0 else math.nan


def _rates(fates: list[Fate], months: int) -> dict[str, float]:
    """The five rates of :class:`LifeCycle` for one seed's initiatives (docs/evidence.md gives the definitions)."""
    # Survival is held at the end of the funding or FUNDED_YEARS into it, whichever is sooner (the evidence is on
    # funded periods of three to five years); the rates after funding follow those alive when it ended.
    due = [f for f in fates if min(f[1], f[0] + 12 * FUNDED_YEARS) <= months]
    survive = [f for f in due if f[2] >= min(f[1], f[0] + 12 * FUNDED_YEARS)]
    survived = [f for f in fates if f[1] <= months and f[2] >= f[1]]  # still active when its funding ended
    funded_years = sum(max(0, min(f, e) - c) for c, f, e, _, _ in fates) / 12.0
    failed_funded = sum(1 for c, f, e, s, _ in fates if s in ("failed", "dissolved") and e < f)
    after_years = sum(max(0, e - f) for c, f, e, _, _ in survived) / 12.0
    ended_after = sum(1 for c, f, e, s, _ in survived if s in ("failed", "faded", "dissolved") and e < months)
    followed = [f for f in survived if f[1] + 48 <= months]
    alive = [f for f in followed if f[2] >= f[1] + 48 or f[3] == "completed"]
    over = [f for f in fates if f[0] + f[4] < months]  # whose planned life ended before the horizon
    return {"survive": _ratio(len(survive), len(due)), "fail": _ratio(failed_funded, funded_years),
            "end": _ratio(ended_after, after_years), "alive": _ratio(len(alive), len(followed)),
            "done": _ratio(sum(1 for f in over if f[3] == "completed"), len(over))}
