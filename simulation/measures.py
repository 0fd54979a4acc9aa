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
* :func:`business_as_usual_outcomes` - business as usual's change of the community result over the horizon (its
  drift) and its engaged share at the end.

Points are hundredths of the community result (a result of 0.27 is 27% "fully ready").

Every measure takes ``base`` (the community it runs in: a scenario whose population and sections are used, its
own interventions and horizon replaced by the measure's programme; default: :func:`community`'s) and ``values``
(dotted path -> value, as ``leadsim run --set`` takes them: a calibration particle's parameters). The values are
applied to each scenario the measure runs before the measure's own protocol settings (forgetting's unsupportive
organizations, a programme's budget), so the protocol stays what the target's study did; a path into an
intervention the measure does not run (``interventions.hosting.params.X`` for the cohort) leaves it alone
(:func:`~simulation.core.scenario.resolve_path`). :data:`TARGETS` says which measure gives each evidence id and
:func:`measure_targets` runs each needed measure once.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
from scipy import stats

from .core.model import LeadershipModel
from .core.network import CROSS_ORG
from .core.people import COMPETENCE
from .core.scenario import Scenario, resolve_path, set_path

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


Values = Mapping[str, Any] | None
"""Dotted path -> value applied to every scenario a measure runs (see the module docstring)."""


def community(people: int = PEOPLE, months: int = 60, interventions: list[dict[str, Any]] | None = None,
              base: Scenario | None = None, values: Values = None, **sections: dict[str, Any]) -> Scenario:
    """The community a measure runs in, with these interventions: ``base``'s population and sections (default:
    the scenarios/ folder's community, five places) with ``people`` people, then ``values``, then the measure's
    own ``sections`` (dotted into each section, so a protocol setting wins over a particle's value)."""
    data = (base or Scenario(population={"places": 5})).model_dump()
    data.update(name="measure", months=months, budget=None, interventions=list(interventions or []))
    data["population"]["people"] = people
    apply_values(data, values)
    for section, fields in sections.items():
        data[section].update(fields)
    return Scenario.model_validate(data)


def apply_values(data: dict[str, Any], values: Values) -> None:
    """Set each dotted path of ``values`` in a scenario mapping, in place; a path into an intervention the
    scenario does not run is skipped (it is not this measure's programme)."""
    for path, value in (values or {}).items():
        resolved = resolve_path(data, path)
        if resolved is not None:
            set_path(data, resolved, value)


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


Getter = Callable[[Any], Estimate]
TARGETS: dict[str, tuple[str, Getter]] = {
    "l2l.learning": ("cohort_effects", lambda r: r.learning),
    "l2l.transfer": ("cohort_effects", lambda r: r.transfer),
    "l2l.transfer_vs_learning": ("cohort_effects", lambda r: r.transfer_vs_learning),
    "l2l.results.unit": ("cohort_effects", lambda r: r.results_unit),
    "l2l.results.organization": ("cohort_effects", lambda r: r.results_org),
    "forgetting.half_life": ("forgetting_curve", lambda r: r.half_life),
    "forgetting.year_of_nonuse": ("forgetting_curve", lambda r: r.lost_in_a_year),
    "network.bridge_survival": ("bridge_survival", lambda r: r),
    "community.lia_lab_18m": ("lab_effect", lambda r: r[18]),
    "community.lia_lab_48m": ("lab_effect", lambda r: r[48]),
    "community.large_programme_rate": ("collective_programme", lambda r: r.points_per_year),
    "community.baseline_drift": ("business_as_usual", lambda r: r.drift),
    "community.engaged_share": ("business_as_usual", lambda r: r.engaged_share),
    "initiatives.survive_funded_period": ("funded_life_cycle", lambda r: r.survive_funded_period),
    "initiatives.failure_rate_funded": ("funded_life_cycle", lambda r: r.failure_rate_funded),
    "initiatives.termination_after_funding": ("funded_life_cycle", lambda r: r.termination_after_funding),
    "initiatives.alive_4y_after_funding": ("funded_life_cycle", lambda r: r.alive_4y_after_funding),
    "initiatives.completion_share": ("funded_life_cycle", lambda r: r.completion_share),
}
"""Evidence id -> (the measure function of this module that measures it, what of its result is the target)."""

MEASURES: dict[str, Callable[..., Any]] = {
    "cohort_effects": cohort_effects, "forgetting_curve": forgetting_curve, "bridge_survival": bridge_survival,
    "lab_effect": lab_effect, "collective_programme": collective_programme,
    "business_as_usual": business_as_usual_outcomes,
    "funded_life_cycle": funded_life_cycle,
}


def measure_scenarios(measure: str, people: int = PEOPLE, base: Scenario | None = None,
                      values: Values = None) -> list[Scenario]:
    """The programme scenarios ``measure`` runs (each paired with its business as usual), as built with these
    arguments: what a calibration checks its parameter paths and values against before anything runs."""
    builders: dict[str, Callable[[], list[Scenario]]] = {
        "cohort_effects": lambda: [l2l_cohort(people=people, base=base, values=values)],
        "forgetting_curve": lambda: [l2l_cohort(people=people, base=base, values=values)],
        "bridge_survival": lambda: [community(people, 24, base=base, values=values)],
        "lab_effect": lambda: [lab_scenario(people=people, base=base, values=values)],
        "collective_programme": lambda: [collective_scenario(people=people, base=base, values=values)],
        "business_as_usual": lambda: [community(people, base=base, values=values)],
        "funded_life_cycle": lambda: life_scenarios(people=people, base=base, values=values),
    }
    return builders[measure]()


def measure_targets(ids: Iterable[str], seeds: tuple[int, ...] = SEEDS, people: int = PEOPLE,
                    base: Scenario | None = None, values: Values = None) -> dict[str, Estimate]:
    """The model's measurement of each evidence id in ``ids`` (each needed measure run once, on ``seeds``)."""
    ids = list(ids)
    unknown = [i for i in ids if i not in TARGETS]
    if unknown:
        raise KeyError(f"no measure for evidence id(s) {', '.join(unknown)}; measured: {', '.join(TARGETS)}")
    results = {name: MEASURES[name](seeds=seeds, people=people, base=base, values=values)
               for name in dict.fromkeys(TARGETS[i][0] for i in ids)}
    return {i: TARGETS[i][1](results[TARGETS[i][0]]) for i in ids}


def measure_all(seeds: tuple[int, ...] = SEEDS) -> dict[str, Estimate]:
    """Every measure, keyed by the evidence id it is held to (simulation/evidence.yaml)."""
    out = measure_targets(TARGETS, seeds)
    out["adoptions_outside_share (a metric; no target)"] = collective_programme(seeds).adoptions_outside_share
    return out


if __name__ == "__main__":  # python -m simulation.measures: every measure, one line each
    for evidence_id, estimate in measure_all().items():
        print(f"{evidence_id}: {estimate}")
