"""Measurements that hold the model to its evidence targets: small programmes run and measured as the studies did.

Each function runs a small community (2,000 people or fewer, a few seeds) and returns what one evidence target of
``simulation/evidence.yaml`` measures, as an :class:`Estimate` (the mean over seeds and its 95% interval) or a small
dataclass of them. The validation tests (``tests/validation/``) and the calibration read these functions, so a
target is measured in one place.

Programme effects are **paired**: the programme's run and a business-as-usual run (the same scenario with no
intervention) on the same seed, so the difference is the programme's (common random numbers: the two runs share
the community, the network and every draw the programme does not change).

* :func:`cohort_effects` - an L2L-like cohort at the Kirkpatrick levels: learning, transfer, results (units,
  organizations), each in standard deviations of the population's spread at month 0.
* :func:`forgetting_curve` - the share of an unpractised gain left after 6 and 12 months; the implied half-life.
* :func:`bridge_survival` - the one-year survival of weak, unreinforced bridges in business as usual.
* :func:`lab_effect` - a Leadership-in-Action-like lab of about 40 senior leaders: the community result's change.
* :func:`collective_programme` - a large collective programme: points a year, initiative outcomes, adoptions.
* :func:`baseline_drift` - business as usual's change of the community result over the horizon.

Points are hundredths of the community result (a result of 0.27 is 27% "fully ready").
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
from scipy import stats

from .core.model import LeadershipModel
from .core.network import CROSS_ORG
from .core.people import COMPETENCE
from .core.scenario import Scenario

SEEDS = (11, 12, 13, 14, 15)
"""The seeds every measure uses by default (fixed: the validation tests are reproducible)."""
PEOPLE = 2000
POINTS = 100.0
"""Points per unit of the community result."""


@dataclass(frozen=True)
class Estimate:
    """A measured quantity: its mean over seeds, the 95% t-interval of that mean, and the per-seed values."""

    value: float
    low: float
    high: float
    values: tuple[float, ...] = field(default=())

    @classmethod
    def of(cls, values: list[float] | np.ndarray) -> Estimate:
        """The mean and 95% t-interval of per-seed values (NaNs, e.g. a seed with nothing to measure, dropped)."""
        x = np.asarray(values, dtype=float)
        x = x[np.isfinite(x)]
        if len(x) == 0:
            return cls(math.nan, math.nan, math.nan, ())
        mean = float(x.mean())
        half = float(stats.t.ppf(0.975, len(x) - 1) * x.std(ddof=1) / math.sqrt(len(x))) if len(x) > 1 else 0.0
        return cls(mean, mean - half, mean + half, tuple(float(v) for v in x))

    def __str__(self) -> str:
        return f"{self.value:.3g} [{self.low:.3g}, {self.high:.3g}]"


def community(people: int = PEOPLE, months: int = 60, interventions: list[dict[str, Any]] | None = None,
              **sections: dict[str, Any]) -> Scenario:
    """The scenarios/ folder's community (2,000 people, five places) with these interventions and section values."""
    population = {"people": people, "places": 5, **sections.pop("population", {})}
    return Scenario(name="measure", months=months, population=population, interventions=interventions or [],
                    **sections)


def business_as_usual(scenario: Scenario) -> Scenario:
    """The same scenario with no intervention (and no budget): the paired counterfactual."""
    return scenario.model_copy(update={"interventions": [], "budget": None})


def _model(scenario: Scenario, seed: int) -> LeadershipModel:
    return LeadershipModel(scenario, rng=seed, person_agents=False)


def _employees(model: LeadershipModel) -> np.ndarray:
    p = model.people
    return np.flatnonzero(p.alive[: p.count] & (p.org[: p.count] >= 0))


def _sd(values: np.ndarray) -> float:
    sd = float(np.std(values))
    return sd if sd > 0 else math.nan


# ---- the leader route: an L2L-like cohort at the Kirkpatrick levels ------------------------------------------
@dataclass(frozen=True)
class CohortEffects:
    """An L2L-like cohort's effect sizes (standard deviations of the month-0 spread), paired against BAU.

    ``results_unit`` is None while the model has no work units (``people.unit``/``people.leads``).
    """

    learning: Estimate
    transfer: Estimate
    results_org: Estimate
    results_unit: Estimate | None


def l2l_cohort(fellows: int = 40, people: int = PEOPLE, months: int = 24, **sections: dict[str, Any]) -> Scenario:
    """One cohort of an L2L-like programme at month 0 (the intervention's defaults: a year, effect size, transfer
    through manager support), fellows chosen by position (senior leaders first), no budget: exactly ``fellows``."""
    training = {"type": "individual_training",
                "params": {"participants": fellows, "selection": "position", "end_month": 1}}
    return community(people, months, [training], **sections)


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
    units0 = _unit_level(bau)
    sd_unit = _sd(units0[0][units0[1]]) if units0 is not None else math.nan
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


def _unit_effect(treated: LeadershipModel, bau: LeadershipModel, fellows: np.ndarray, sd_unit: float) -> float:
    """The trained leaders' units' change of applied capacity against BAU, in sd of the between-unit spread."""
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
                   results_month: int = 24, people: int = PEOPLE) -> CohortEffects:
    """Learning and transfer at the programme's end (``learning_month``), results a year later.

    * learning: the fellows' competence gain over BAU, in sd of employees' competence at month 0;
    * transfer: the gain in applied competence (competence x practice), in sd of its spread at month 0;
    * results: the fellows' organizations' practice level change over BAU in sd of the between-organization
      spread at month 0; and the units the fellows lead (their staff's applied capacity), in sd of the
      between-unit spread, when the model has work units.
    """
    scenario = l2l_cohort(fellows, people, results_month)
    rows = [_cohort_seed(scenario, seed, learning_month, results_month) for seed in seeds]
    unit = [r["results_unit"] for r in rows]
    return CohortEffects(Estimate.of([r["learning"] for r in rows]), Estimate.of([r["transfer"] for r in rows]),
                         Estimate.of([r["results_org"] for r in rows]),
                         Estimate.of(unit) if np.isfinite(unit).any() else None)


# ---- forgetting -------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Forgetting:
    """Share of an unpractised gain left ``after`` months (one Estimate each) and the implied half-life (months)."""

    share: dict[int, Estimate]
    half_life: Estimate


def forgetting_curve(seeds: tuple[int, ...] = SEEDS, after: tuple[int, ...] = (6, 12), fellows: int = 40,
                     people: int = PEOPLE) -> Forgetting:
    """A one-month course in organizations that give almost no chance to apply it (manager support and openness
    about 0.01), so the gain is unpractised; the fellows' gain over BAU is followed from the month after the
    course. The half-life is implied by the last share: ``t ln 2 / ln(1 / share)``."""
    sections = {"population": {"manager_support_mean": 0.01, "openness_mean": 0.01,
                               "org_trait_concentration": 1000.0}}
    scenario = l2l_cohort(fellows, people, 1 + max(after), **sections)
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


# ---- bridges ----------------------------------------------------------------------------------------------------
def bridge_survival(seeds: tuple[int, ...] = SEEDS, start: int = 12, people: int = PEOPLE) -> Estimate:
    """Share of the weak bridges present at ``start`` (cross-organization or cross-sector ties below the strong
    weight) still present a year later, among those not reinforced in the year and whose two people are still
    in the community (Burt 2002 followed the bridges of people who stayed)."""
    scenario = community(people, start + 12)
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


@lru_cache(maxsize=64)
def _summary(scenario_json: str, seed: int) -> RunSummary:
    """One run, summarised (cached: a BAU run is shared by the measures that pair against it)."""
    scenario = Scenario.model_validate_json(scenario_json)
    model = _model(scenario, seed)
    model.run_for(scenario.months)
    path = model.recorder.values[:, model.recorder.index["community_result"]].copy()
    return RunSummary(path, tuple(i.status for i in model.initiatives), outside_share(model))


def run_summary(scenario: Scenario, seed: int) -> RunSummary:
    """The (cached) summary of one run of ``scenario`` on ``seed``."""
    return _summary(scenario.model_dump_json(), seed)


def paired_points(scenario: Scenario, seed: int) -> np.ndarray:
    """The programme's effect on the community result at every month, in points (programme run minus BAU)."""
    return POINTS * (run_summary(scenario, seed).result - run_summary(business_as_usual(scenario), seed).result)


def lab_scenario(members: int = 40, months: int = 48, people: int = PEOPLE) -> Scenario:
    """One change lab of ``members`` senior leaders from every sector at month 0 (the intervention's defaults)."""
    lab = {"type": "change_lab", "params": {"participants": members, "end_month": 1}}
    return community(people, months, [lab])


def lab_effect(seeds: tuple[int, ...] = SEEDS, months: tuple[int, ...] = (18, 48), members: int = 40,
               people: int = PEOPLE) -> dict[int, Estimate]:
    """A Leadership-in-Action-like lab's community-result change against BAU, in points, at each of ``months``."""
    scenario = lab_scenario(members, max(months), people)
    paths = [paired_points(scenario, seed) for seed in seeds]
    return {m: Estimate.of([path[m] for path in paths]) for m in months}


def baseline_drift(seeds: tuple[int, ...] = SEEDS, months: int = 60, people: int = PEOPLE) -> Estimate:
    """Business as usual's change of the community result over ``months``, in points."""
    scenario = community(people, months)
    paths = [run_summary(scenario, seed).result for seed in seeds]
    return Estimate.of([POINTS * (path[-1] - path[0]) for path in paths])


COLLECTIVE_BUDGET = 1_200_000.0
"""A large collective programme's money over 60 months in the 2,000-person community: about 600 a person, near
Communities That Care's cost of about $556 per youth over five years (EVIDENCE.md)."""


def collective_scenario(budget: float = COLLECTIVE_BUDGET, months: int = 60, people: int = PEOPLE) -> Scenario:
    """Change labs and hosting with follow-up sharing ``budget`` (the shipped files' parameters)."""
    programmes = [
        {"type": "change_lab", "params": {"selection": "stratified", "every_months": 36}},
        {"type": "hosting", "params": {"selection": "random", "every_months": 6, "cost_per_participant": 60,
                                       "follow_up_months": 12}},
    ]
    return community(people, months, programmes).model_copy(update={"budget": budget})


@dataclass(frozen=True)
class CollectiveOutcomes:
    """A large collective programme, paired against BAU: points a year, initiatives' fates, adoptions' reach."""

    points_per_year: Estimate
    failed_share: Estimate
    completed_share: Estimate | None
    """None while initiatives cannot complete (no ``initiatives.lifetime_months``)."""
    adoptions_outside_share: Estimate
    initiatives: int
    """Initiatives formed over all seeds (how much the shares rest on)."""


def outside_share(model: LeadershipModel) -> float:
    """Share of organizations' adoptions that are not the own organization of one of the initiative's members.

    The ``adoptions_outside_share`` metric when the model records it; otherwise computed here from the
    initiatives' adopters and members (its living members at the end: a stand-in for today's code)."""
    index = model.recorder.index
    if "adoptions_outside_share" in index:
        return float(model.recorder.values[model.month - model.recorder.months[0], index["adoptions_outside_share"]])
    outside = total = 0
    for initiative in model.initiatives:
        adopted = np.flatnonzero(initiative.adopters)
        own = np.unique(model.people.org[initiative.members])
        outside += int((~np.isin(adopted, own)).sum())
        total += len(adopted)
    return outside / total if total else math.nan


def has_units() -> bool:
    """Whether people belong to work units led by a manager or an executive (the #12 mechanisms)."""
    from .core.people import People
    people = People(16)
    return hasattr(people, "unit") and hasattr(people, "leads")


def can_complete() -> bool:
    """Whether the model's initiatives have a life cycle that ends in completion (the #12 mechanisms)."""
    from .core.scenario import InitiativeParams
    return "lifetime_months" in InitiativeParams.model_fields


def collective_programme(seeds: tuple[int, ...] = SEEDS, budget: float = COLLECTIVE_BUDGET, months: int = 60,
                         people: int = PEOPLE) -> CollectiveOutcomes:
    """Points a year over ``months`` (paired against BAU) and the programme run's initiatives: the shares of those
    formed that failed and that completed by the horizon, and the share of adoptions outside members' orgs."""
    scenario = collective_scenario(budget, months, people)
    years = months / 12.0
    rate, failed, completed, outside = [], [], [], []
    formed = 0
    for seed in seeds:
        rate.append(float(paired_points(scenario, seed)[-1]) / years)
        run = run_summary(scenario, seed)
        status = list(run.statuses)
        formed += len(status)
        failed.append(status.count("failed") / len(status) if status else math.nan)
        completed.append(status.count("completed") / len(status) if status else math.nan)
        outside.append(run.outside)
    return CollectiveOutcomes(Estimate.of(rate), Estimate.of(failed),
                              Estimate.of(completed) if can_complete() else None, Estimate.of(outside), formed)


def measure_all(seeds: tuple[int, ...] = SEEDS) -> dict[str, Estimate | None]:
    """Every measure, keyed by the evidence id it is held to (None: the model lacks the quantity)."""
    cohort, forgetting = cohort_effects(seeds), forgetting_curve(seeds)
    lab, programme = lab_effect(seeds), collective_programme(seeds)
    return {
        "l2l_learning": cohort.learning, "l2l_transfer": cohort.transfer,
        "l2l_results_unit": cohort.results_unit, "l2l_results_org": cohort.results_org,
        "forgetting_share_6m": forgetting.share[6], "forgetting_share_12m": forgetting.share[12],
        "forgetting_half_life": forgetting.half_life, "bridge_survival_1y": bridge_survival(seeds),
        "lab_result_18m": lab[18], "lab_result_48m": lab[48],
        "collective_points_per_year": programme.points_per_year, "baseline_drift_60m": baseline_drift(seeds),
        "initiatives_failed_share": programme.failed_share, "initiatives_completed_share": programme.completed_share,
        "adoptions_outside_share": programme.adoptions_outside_share,
    }


if __name__ == "__main__":  # python -m simulation.measures: every measure, one line each
    for evidence_id, estimate in measure_all().items():
        print(f"{evidence_id}: {'-' if estimate is None else estimate}")
