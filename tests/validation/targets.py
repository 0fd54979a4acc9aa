"""TEMPORARY stand-in for ``simulation/evidence.py``: the evidence targets the validation tests read.

Another engineer is writing ``simulation/evidence.yaml`` and ``simulation/evidence.py`` (``target(id)`` returning a
target's value and interval). Until they merge into this branch, ``check.interval`` falls back on the table below.
DELETE THIS FILE when the real evidence file merges: ``check.interval`` already prefers ``simulation.evidence``
whenever it is importable, so the tests switch over by themselves, and an id missing from the real file then
fails loudly (its ids must match those below, or the tests' ``EVIDENCE_ID`` constants be renamed).

Each interval says where its ends come from (EVIDENCE.md in the shared folder has the sources and their status).
"""

from __future__ import annotations

from typing import NamedTuple


class Target(NamedTuple):
    value: float
    low: float
    high: float
    unit: str
    source: str

    @property
    def interval(self) -> tuple[float, float]:
        return self.low, self.high


STAND_IN: dict[str, Target] = {
    # Leader route, Kirkpatrick levels (effect sizes in sd).
    "l2l_learning": Target(0.73, 0.6, 1.0, "sd", "Lacerenza et al. 2017 learning .73; Arthur et al. 2003 .63 "
                           "(lower end); Collins & Holton 2004 knowledge .96-1.37 (upper end, at its lower bound)"),
    "l2l_transfer": Target(0.82, 0.5, 1.0, "sd", "Lacerenza et al. 2017 transfer .82; Arthur et al. 2003 .62; "
                           "Collins & Holton 2004 expertise .35-1.01"),
    "l2l_results_unit": Target(0.62, 0.45, 0.8, "sd", "Lacerenza et al. 2017 results .72; Arthur et al. 2003 .62: "
                               "trained leaders' own units improve by about half to three-quarters of an sd"),
    "l2l_results_org": Target(0.39, 0.2, 0.6, "sd", "Collins & Holton 2004 system/organization outcomes .39; the "
                              "organization as a whole moves less than the leaders' units; lower end near Avolio "
                              "et al. 2009 (66% probability of a positive outcome, d about .29: a derivation)"),
    # Forgetting of an unpractised gain.
    "forgetting_share_6m": Target(0.63, 0.53, 0.73, "share", "half-lives 6.5-13 months (Tatel & Ackerman) give "
                                  "0.53-0.73; Saks & Belcourt 2006: 44/62 = 0.71 still apply at 6 months"),
    "forgetting_share_12m": Target(0.4, 0.28, 0.55, "share", "half-lives 6.5-13 months give 0.28-0.53; Saks & "
                                   "Belcourt 2006: 34/62 = 0.55 still apply at one year"),
    "forgetting_half_life": Target(11.0, 6.5, 13.0, "months", "Tatel & Ackerman: half the gain lost at about 6.5 "
                                   "(accuracy), 13 (speed), 11 (mixed) months"),
    # Networks.
    "bridge_survival_1y": Target(0.1, 0.05, 0.2, "share", "Burt 2002: 'nine in ten' bridges gone a year later "
                                 "(an approximate figure: a factor of two either way)"),
    # Collective route.
    "lab_result_18m": Target(3.0, 0.5, 6.0, "points", "Leadership in Action: 'a marked improvement in school "
                             "readiness in an 18 month timeframe' (positive); at most 4 points a year (EVIDENCE.md: "
                             "well-resourced collective efforts 1-4 points a year)"),
    "lab_result_48m": Target(9.0, 2.4, 9.0, "points", "Leadership in Action: 'a 9% increase in school readiness over "
                             "a four year period': 9 points if absolute, 2.4 if relative to Baltimore's 27%"),
    "collective_points_per_year": Target(2.5, 1.0, 4.0, "points/year", "Strive Cincinnati 44->57% over nine years "
                                         "(1.4/yr); Maryland 49->83% over ten years (3.4/yr, with statewide "
                                         "policy)"),
    "baseline_drift_60m": Target(0.0, -0.5, 0.5, "points", "assumption: a tenth of the smallest collective effect "
                                 "over the horizon (1 point a year x 5 years), so drift cannot pass for an effect"),
    "initiatives_failed_share": Target(0.21, 0.1, 0.45, "share", "ASPE/NORC 2012 (HCAP, 165 coalitions after federal "
                                       "funding): 32% not sustained, two-thirds of them dissolved over funding or "
                                       "organizational problems (21% of all); survivors of a funded period, so "
                                       "the upper end is wider"),
    "initiatives_completed_share": Target(0.1, 0.05, 0.35, "share", "ASPE/NORC 2012: a third of the not-sustained "
                                          "coalitions disbanded because they achieved their goals (10% of all)"),
    "adoptions_outside_share": Target(0.5, 0.2, 1.0, "share", "assumption, no published figure: prototypes scale only "
                                      "if organizations other than the members' own buy in (Leading Edge, Change "
                                      "Laboratory); at least a fifth of adoptions"),
}
