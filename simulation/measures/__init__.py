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
* :func:`funded_life_cycle` - programme-started initiatives around the end of their funding: survival, failure,
  fading and completion, how active their members are, and whether the more active outlive the others (20 seeds).

The modules: ``common`` (seeds, :class:`Estimate`, the community a measure runs in), ``leader_route``,
``collective_route``, ``life_cycle``; this one holds the registry (:data:`TARGETS`, :data:`MEASURES`).

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

from collections.abc import Callable, Iterable
from typing import Any

from ..core.scenario import Scenario
from .collective_route import (
    COLLECTIVE_BUDGET,
    Baseline,
    CollectiveOutcomes,
    RunSummary,
    bridge_survival,
    business_as_usual_outcomes,
    collective_programme,
    collective_scenario,
    lab_effect,
    lab_scenario,
    paired_points,
    run_summary,
)
from .common import PEOPLE, POINTS, SEEDS, Estimate, Values, apply_values, business_as_usual, community
from .leader_route import CohortEffects, Forgetting, cohort_effects, forgetting_curve, l2l_cohort
from .life_cycle import LIFE_PROGRAMMES, LIFE_SEEDS, LifeCycle, funded_life_cycle, life_scenarios

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
    "initiatives.active_members": ("funded_life_cycle", lambda r: r.active_members),
    "initiatives.activity_predicts_survival": ("funded_life_cycle", lambda r: r.activity_predicts_survival),
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


def measure_targets(ids: Iterable[str], seeds: tuple[int, ...] | None = None, people: int = PEOPLE,
                    base: Scenario | None = None, values: Values = None) -> dict[str, Estimate]:
    """The model's measurement of each evidence id in ``ids`` (each needed measure run once, on ``seeds``; by
    default each on its own default seeds: :data:`SEEDS`, or the life cycle's 20)."""
    ids = list(ids)
    unknown = [i for i in ids if i not in TARGETS]
    if unknown:
        raise KeyError(f"no measure for evidence id(s) {', '.join(unknown)}; measured: {', '.join(TARGETS)}")
    given = {} if seeds is None else {"seeds": seeds}
    results = {name: MEASURES[name](people=people, base=base, values=values, **given)
               for name in dict.fromkeys(TARGETS[i][0] for i in ids)}
    return {i: TARGETS[i][1](results[TARGETS[i][0]]) for i in ids}


def measure_all() -> dict[str, Estimate]:
    """Every measure on its default seeds, keyed by the evidence id it is held to (simulation/evidence.yaml)."""
    out = measure_targets(TARGETS)
    out["adoptions_outside_share (a metric; no target)"] = collective_programme().adoptions_outside_share
    return out


__all__ = [
    "COLLECTIVE_BUDGET", "LIFE_PROGRAMMES", "LIFE_SEEDS", "MEASURES", "PEOPLE", "POINTS", "SEEDS", "TARGETS",
    "Baseline", "CohortEffects", "CollectiveOutcomes", "Estimate", "Forgetting", "LifeCycle", "RunSummary", "Values",
    "apply_values", "bridge_survival", "business_as_usual", "business_as_usual_outcomes", "cohort_effects",
    "collective_programme", "collective_scenario", "community", "forgetting_curve", "funded_life_cycle",
    "l2l_cohort", "lab_effect", "lab_scenario", "life_scenarios", "measure_all", "measure_scenarios",
    "measure_targets", "paired_points", "run_summary",
]
