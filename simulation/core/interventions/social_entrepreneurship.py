"""Social entrepreneurship: a few selected individuals receive resources to start initiatives.

"Leadership programs that support social entrepreneurs invest in individuals or organizations at their earliest
stages of development, providing recognition, resources, technical assistance, and incubation so that ideas can
manifest themselves in the world ... Considerable time and resources are invested in selection ... Often the
recognition of having been selected ... unleashes more creativity ... Entrepreneurs tend to thrive when they are
given resources, space, and support to incubate ... This helps tremendously when an idea is new and does not have
the track record yet to sustain itself" (Leading Edge Promising Practices in Collective and Individual Leadership
Development, "Social Entrepreneurship"; Ashoka, Echoing Green and Skoll are its examples).

Mechanism:

* **Selection**: each round picks grantees among people not in an initiative (``engagement`` by default: the most
  engaged first, standing in for Ashoka-style searches for people with "the quality of entrepreneurship").
  The round's selection costs ``cost_per_event``.
* **Recognition**: a grantee's engagement rises by ``recognition`` and their purpose closes ``recognition`` of its
  gap (the commitment that selection affirms).
* **The venture**: the grantee founds a collective initiative (source ``"social_entrepreneurship"``, the grantee
  first among its members) with up to ``team_size - 1`` contacts who are free, strongest ties first, who are tied
  to the grantee; recruits gain ``recognition / 2`` engagement. A grantee without free contacts founds nothing
  (the grant is still paid: money cannot buy a team).
* **Incubation**: for the grant's runway the initiative gains ``grant_momentum`` momentum a month (paid time and
  infrastructure), and it is resilient: its chance of re-planning instead of failing
  (``Initiative.adaptive``) is at least ``grant_resilience`` ("the tenacity to pursue and adapt the idea"). After
  the runway the initiative is on its own (its former resilience is restored).
* **Money**: a round's pot is the money left shared among the rounds left; it is shared equally among as many
  grantees as it affords at ``cost_per_participant`` (a fund disburses its round), and a larger grant buys a longer
  runway: ``grant_months x grant / cost_per_participant`` months. A round that cannot afford one grant is skipped
  and its money carried over. Grants are committed (charged) when awarded.

Defaults: a grant of 80,000 over 24 months (Echoing Green Fellowship, published terms for 2012: "a stipend of
$80,000 for individuals ... paid in four equal installments over two years"); a yearly round; selection 10,000 a
round (assumption: outreach, reviewers, interviews); a founding team of 5 (assumption); recognition 0.3 (a rung,
``engagement.climb``); momentum 0.02 a month (assumption: about what a team 0.08 above ``initiatives.difficulty``
earns, at ``momentum_gain`` 0.25) and resilience 0.8 (assumption).
"""

from __future__ import annotations

import numpy as np

from ..initiatives import Initiative, start_initiative
from ..people import NONE
from .base import Intervention, register
from .params.social_entrepreneurship import SocialEntrepreneurshipParams


class Venture:
    """A funded initiative: its grantee, runway and the resilience it had before the grant."""

    def __init__(self, grantee: int, initiative: Initiative, until: int) -> None:
        self.grantee = grantee
        self.initiative = initiative
        self.until = until
        self.former_adaptive = initiative.adaptive


@register
class SocialEntrepreneurship(Intervention):
    name = "social_entrepreneurship"
    summary = "A few grantees each found an initiative with their contacts; the grant gives it runway."
    source = ("Leading Edge Promising Practices in Collective and Individual Leadership Development (Social "
              "Entrepreneurship); Echoing Green Fellowship terms")
    Params = SocialEntrepreneurshipParams

    def setup(self, model) -> None:
        self.ventures: list[Venture] = []
        self._pot: float | None = None  # this round's money for grants, set when the round is sized

    def eligible(self, model) -> np.ndarray:
        mask = super().eligible(model)
        return mask & (model.people.initiative[: len(mask)] == NONE)

    # ---- money: a round's pot is what is left, shared among the rounds left --------------------------------
    def is_funded(self, model) -> bool:
        """Runs if the whole budget affords one grant and one selection (rounds that cannot are carried over)."""
        prm, money = self.params, None
        if self.budget is not None:
            fixed = prm.fixed_cost_per_month * max(0, self.end_month - prm.start_month)
            money = self.budget - fixed - prm.cost_per_event
        return self.affordable(money, prm.cost_per_participant) > 0

    def round_budget(self, month: int) -> float | None:
        """Money for the grants of the round in ``month``: what is left, shared among the rounds left (None without
        a budget).

        A round that cannot afford one grant is skipped and its money carried over, so a small budget funds fewer,
        later rounds instead of none.
        """
        if self.budget is None:
            return None
        prm = self.params
        rounds_left = sum(1 for m in self.event_months() if m >= month)
        fixed_left = prm.fixed_cost_per_month * max(0, self.end_month - month - 1)
        return (self.budget - self.spent - fixed_left) / max(1, rounds_left) - prm.cost_per_event

    def event_size(self, model) -> int:
        """As many grants of at least ``cost_per_participant`` as this round's pot affords."""
        self._pot = self.round_budget(model.month)
        return self.affordable(self._pot, self.params.cost_per_participant)

    def start_event(self, model, participants: np.ndarray) -> None:
        prm, pot = self.params, self._pot
        grant = prm.cost_per_participant if pot is None else max(prm.cost_per_participant, pot / len(participants))
        self.charge((grant - prm.cost_per_participant) * len(participants))  # the base charged the minimum
        scale = grant / prm.cost_per_participant if prm.cost_per_participant > 0 else 1.0
        runway = max(1, int(round(prm.grant_months * scale)))
        for grantee in participants:  # a few grantees a round
            self._found(model, int(grantee), runway)

    def _found(self, model, grantee: int, runway: int) -> None:
        prm, p = self.params, model.people
        p.engagement[grantee] = min(1.0, p.engagement[grantee] + prm.recognition)
        p.purpose[grantee] += prm.recognition * (1.0 - p.purpose[grantee])
        _, contact, tie = model.ties.incident(np.array([grantee]), p.count)
        free = (p.initiative[contact] == NONE) & p.alive[contact]
        contact, strength = contact[free], model.ties.weight[tie[free]]
        team = contact[np.lexsort((-p.engagement[contact], -strength))][: prm.team_size - 1]
        if len(team) == 0 and prm.team_size > 1:
            return
        p.engagement[team] = np.minimum(1.0, p.engagement[team] + prm.recognition / 2)
        members = np.concatenate([[grantee], team]).astype(np.int64)
        initiative = start_initiative(model, members, source="social_entrepreneurship",
                                      label=f"{self.label} venture {len(self.ventures)}",
                                      funded_until=model.month + runway)
        self.ventures.append(Venture(grantee, initiative, model.month + runway))

    def step(self, model) -> None:
        prm, imax = self.params, model.params.initiatives.max_momentum
        for v in self.ventures:
            ini = v.initiative
            if not ini.active or v.until < model.month:
                continue
            if v.until == model.month:
                if ini.adaptive == prm.grant_resilience:  # unless something else raised it since
                    ini.adaptive = v.former_adaptive
                continue
            ini.momentum = min(imax, ini.momentum + prm.grant_momentum)
            ini.adaptive = max(ini.adaptive, prm.grant_resilience)
