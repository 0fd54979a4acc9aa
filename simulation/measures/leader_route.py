"""The leader route's measures: an L2L-like cohort at the Kirkpatrick levels, and the forgetting curve."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..core.model import LeadershipModel
from ..core.people import COMPETENCE
from ..core.scenario import Scenario
from .common import PEOPLE, SEEDS, Estimate, Values, _employees, _model, _sd, business_as_usual, community


# ---- the leader route: an L2L-like cohort at the Kirkpatrick levels ------------------------------------------
@dataclass(frozen=True)
class CohortEffects:
    """An L2L-like cohort's effect sizes (standard deviations of the month-0 spread), paired against BAU, and the
    ratio of transfer to learning (per seed, then averaged)."""

    learning: Estimate
    transfer: Estimate
    results_org: Estimate
    results_unit: Estimate
    transfer_vs_learning: Estimate


def l2l_cohort(fellows: int = 40, people: int = PEOPLE, months: int = 24, base: Scenario | None = None,
               values: Values = None, **sections: dict[str, Any]) -> Scenario:
    """One cohort of an L2L-like programme at month 0 (the intervention's defaults: a year, effect size, transfer
    through manager support), fellows chosen by position (senior leaders first), no budget: exactly ``fellows``."""
    training = {"type": "individual_training",
                "params": {"participants": fellows, "selection": "position", "end_month": 1}}
    return community(people, months, [training], base, values, **sections)


def _unit_level(model: LeadershipModel) -> tuple[np.ndarray, np.ndarray] | None:
    """Per work unit: its members' mean applied capacity (capacity x practice, averaged over the capacities), and
    whether the unit has living members; None when the model has no units."""
    p = model.people
    if not hasattr(p, "unit"):
        return None
    n = p.count
    unit = np.asarray(p.unit[:n], dtype=np.int64)
    member = p.alive[:n] & (unit >= 0)
    applied = p.capacity[:n].mean(axis=1) * p.practice[:n]
    n_units = int(unit[member].max()) + 1 if member.any() else 0
    count = np.bincount(unit[member], minlength=n_units)
    total = np.bincount(unit[member], weights=applied[member], minlength=n_units)
    return np.where(count > 0, total / np.maximum(count, 1), np.nan), count > 0


def _cohort_seed(scenario: Scenario, seed: int, learning_month: int, results_month: int) -> dict[str, float]:
    treated, bau = _model(scenario, seed), _model(business_as_usual(scenario), seed)
    staff = _employees(bau)
    competence0 = bau.people.capacity[staff, COMPETENCE]
    sd_competence = _sd(competence0)
    sd_applied = _sd(competence0 * bau.people.practice[staff])
    sd_org = _sd(bau.orgs.practice_level()[bau.orgs.size > 0])
    sd_unit = _unit_sd_within_orgs(bau)
    out: dict[str, float] = {}
    treated.run_for(learning_month)
    bau.run_for(learning_month)
    fellows = treated.interventions[0].reached_ids
    here = fellows[treated.people.alive[fellows] & bau.people.alive[fellows] & (treated.people.org[fellows] >= 0)]
    gain = treated.people.capacity[here, COMPETENCE] - bau.people.capacity[here, COMPETENCE]
    out["learning"] = float(gain.mean()) / sd_competence
    applied = (treated.people.capacity[here, COMPETENCE] * treated.people.practice[here]
               - bau.people.capacity[here, COMPETENCE] * bau.people.practice[here])
    out["transfer"] = float(applied.mean()) / sd_applied
    treated.run_for(results_month - learning_month)
    bau.run_for(results_month - learning_month)
    orgs = np.unique(treated.people.org[fellows])
    orgs = orgs[orgs >= 0]
    out["results_org"] = float((treated.orgs.practice_level()[orgs] - bau.orgs.practice_level()[orgs]).mean()) / sd_org
    out["results_unit"] = _unit_effect(treated, bau, fellows, sd_unit)
    return out


def _unit_sd_within_orgs(model: LeadershipModel) -> float:
    """The spread of units' applied capacity within their organizations: the sd, over units of organizations with
    at least two, of each unit's value minus its organization's mean over its units.

    The results meta-analyses standardise a trained leader's unit against the units of the same study, mostly of one
    organization (branches of a bank, wards of a hospital), so differences between organizations are not in their
    denominator; NaN when the model has no units."""
    level = _unit_level(model)
    if level is None:
        return math.nan
    values, has = level
    p = model.people
    n = p.count
    member = p.alive[:n] & (p.unit[:n] >= 0) & (p.org[:n] >= 0)
    org_of = np.full(len(values), -1, dtype=np.int64)
    org_of[np.asarray(p.unit[:n], dtype=np.int64)[member]] = p.org[:n][member]
    ok = has & (org_of >= 0)
    count = np.bincount(org_of[ok], minlength=model.orgs.count)
    mean = np.bincount(org_of[ok], weights=values[ok], minlength=model.orgs.count) / np.maximum(count, 1)
    several = ok & (count[np.maximum(org_of, 0)] >= 2)
    return _sd(values[several] - mean[org_of[several]])


def _unit_effect(treated: LeadershipModel, bau: LeadershipModel, fellows: np.ndarray, sd_unit: float) -> float:
    """The trained leaders' units' change of applied capacity against BAU, in sd of the spread of units within
    organizations."""
    if not hasattr(treated.people, "leads"):
        return math.nan
    led = np.asarray(treated.people.leads[fellows], dtype=np.int64)
    led = np.unique(led[led >= 0])
    mine, theirs = _unit_level(treated), _unit_level(bau)
    if len(led) == 0 or mine is None or theirs is None:
        return math.nan
    both = led[(led < len(mine[0])) & (led < len(theirs[0]))]
    both = both[mine[1][both] & theirs[1][both]]
    return float((mine[0][both] - theirs[0][both]).mean()) / sd_unit if len(both) else math.nan


def cohort_effects(seeds: tuple[int, ...] = SEEDS, fellows: int = 40, learning_month: int = 12,
                   results_month: int = 24, people: int = PEOPLE, base: Scenario | None = None,
                   values: Values = None) -> CohortEffects:
    """Learning and transfer at the programme's end (``learning_month``), results a year later.

    * learning: the fellows' competence gain over BAU, in sd of employees' competence at month 0;
    * transfer: the gain in applied competence (competence x practice), in sd of its spread at month 0;
    * results: the fellows' organizations' practice level change over BAU in sd of the between-organization
      spread at month 0; and the units the fellows lead (their members' applied capacity), in sd of the spread
      of units within their organizations at month 0 (:func:`_unit_sd_within_orgs`), when the model has units.
    """
    scenario = l2l_cohort(fellows, people, results_month, base, values)
    rows = [_cohort_seed(scenario, seed, learning_month, results_month) for seed in seeds]
    return CohortEffects(Estimate.of([r["learning"] for r in rows]), Estimate.of([r["transfer"] for r in rows]),
                         Estimate.of([r["results_org"] for r in rows]), Estimate.of([r["results_unit"] for r in rows]),
                         Estimate.of([r["transfer"] / r["learning"] for r in rows]))


# ---- forgetting -------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Forgetting:
    """Share of an unpractised gain left ``after`` months (one Estimate each) and the implied half-life (months)."""

    share: dict[int, Estimate]
    half_life: Estimate

    @property
    def lost_in_a_year(self) -> Estimate:
        """Share of the gain lost after 12 months (evidence id ``forgetting.year_of_nonuse``)."""
        left = self.share[12]
        return Estimate.of([1.0 - v for v in left.values])


def forgetting_curve(seeds: tuple[int, ...] = SEEDS, after: tuple[int, ...] = (6, 12), fellows: int = 40,
                     people: int = PEOPLE, base: Scenario | None = None, values: Values = None) -> Forgetting:
    """A one-month course in organizations that give almost no chance to apply it (manager support and openness
    about 0.01), so the gain is unpractised; the fellows' gain over BAU is followed from the month after the
    course. The half-life is implied by the last share: ``t ln 2 / ln(1 / share)``."""
    sections = {"population": {"manager_support_mean": 0.01, "openness_mean": 0.01,
                               "org_trait_concentration": 1000.0}}
    scenario = l2l_cohort(fellows, people, 1 + max(after), base, values, **sections)
    scenario = scenario.with_values({"interventions.0.params.duration_months": 1})
    shares: dict[int, list[float]] = {t: [] for t in after}
    lives: list[float] = []
    for seed in seeds:
        treated, bau = _model(scenario, seed), _model(business_as_usual(scenario), seed)
        treated.run_for(1)
        bau.run_for(1)
        fellows_ = treated.interventions[0].reached_ids
        start = treated.people.capacity[fellows_, COMPETENCE] - bau.people.capacity[fellows_, COMPETENCE]
        done = 0
        for t in sorted(after):
            treated.run_for(t - done)
            bau.run_for(t - done)
            done = t
            ok = treated.people.alive[fellows_] & bau.people.alive[fellows_]
            left = treated.people.capacity[fellows_, COMPETENCE] - bau.people.capacity[fellows_, COMPETENCE]
            shares[t].append(float(left[ok].sum() / start[ok].sum()))
        last = shares[max(after)][-1]
        lives.append(max(after) * math.log(2) / math.log(1 / last) if 0 < last < 1 else math.inf)
    return Forgetting({t: Estimate.of(v) for t, v in shares.items()}, Estimate.of(lives))
