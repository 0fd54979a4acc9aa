"""Place-based leadership (Kellogg Leadership for Community Change): all sectors of one place, through a trusted
intermediary organization.

"Developing place-based leadership is a strategy for engaging people where they live rather than taking them out
of their contexts." KLCC's framework has four stages: "Build Trust; Co-Construct Purpose and Strategic Plan; Act
Together; and Deepen, Sustain, and Make Work a Way of Life", and "communities need to continually revisit each of
these tasks". Its first challenge "is finding a local organization to lead the community change process.
Intermediary organizations need to be widely recognized by the community as inclusive and fair in their practices
... If an organization is perceived as aligned with a subset of community stakeholders or if they lack the
commitment and capacity to develop their stewardship, then the process is likely to stall" (Leading Edge Promising
Practices in Collective and Individual Leadership Development, "Place-based leadership").

Mechanism:

* **The place and its intermediary**: at the first cycle the programme settles in one place (``place``, or the place
  of a randomly drawn person) and an intermediary organization there: the most open organization of the
  ``intermediary_sector`` in that place (or the most open organization there if that sector is absent). Its
  openness is the **trust** the community gives it (``trust`` overrides it); trust scales every effect below. The
  intermediary is paid ``fixed_cost_per_month`` for as long as the programme runs.
* **Cycles**: every ``every_months`` a cycle starts with residents and employees of the place (only they are
  eligible; ``stratified`` by default, so every sector and the residents are in the room, and people may return
  cycle after cycle). They are dealt into mixed circles of ``circle_size``. The circles convene monthly; each member
  attends with probability ``attendance``. At every convening, ties among attendees of a circle are reinforced and
  each pair that is not yet tied becomes acquainted with probability ``trust x acquaintance``. The cycle moves
  through KLCC's four stages in equal parts:
  1. *Build trust*: attendees close ``trust x capacity_gain`` of their gap on connecting and bridging.
  2. *Co-construct purpose*: attendees close ``trust x purpose_gain`` of their gap to full purpose alignment and
     gain ``trust x engagement_gain`` engagement.
  3. *Act together*: in each circle the engaged, aligned, free attendees (at least ``initiatives.min_members``)
     launch a collective initiative (source ``"place_based"``) with probability ``trust``; a circle launches one
     initiative a cycle, and attendees who become ready at a later convening of the stage join it.
  4. *Deepen and sustain*: attendees close ``trust x capacity_gain`` of their gap on learning/reflecting and gain
     ``trust x engagement_gain`` engagement.
* **Stewardship**: every month while the programme runs, the intermediary supports the active initiatives whose
  members mostly live or work in the place: their members gain ``trust x support_engagement`` engagement
  (sustained attention).

Defaults (assumptions where no source gives a number): a yearly cycle (KLCC's stages revisited each year); the
intermediary's sector "nonprofit"; 5,000 a month for the intermediary (a part-time coordinator and overheads); 250
per participant per cycle (convenings, food, childcare and stipends for residents); circles of 12; attendance 0.6;
acquaintance 0.1 per pair per convening; capacity gain 3% of the gap, purpose 5% and engagement 0.05 per convening
(like ``community_of_practice``); stewardship engagement 0.03 a month.
"""

from __future__ import annotations

import numpy as np

from ..agents import Collective
from ..initiatives import Initiative, start_initiative
from ..learning import practise_gain
from ..people import BRIDGING, CONNECTING, LEARNING, NONE
from ..streams import pair_ids
from .base import Intervention, register
from .meetings import group_pairs, meet
from .params.place_based import PlaceBasedParams

STAGES = ("build_trust", "co_construct_purpose", "act_together", "deepen_and_sustain")


class Circles(Collective):
    """One cycle's participants and the circle each belongs to."""

    kind = "place_circles"

    def __init__(self, model, members: np.ndarray, circle: np.ndarray, label: str = "") -> None:
        super().__init__(model, members, label)
        self.circle = np.asarray(circle, dtype=np.int64)
        self.launched: dict[int, Initiative] = {}  # each circle's initiative this cycle


@register
class PlaceBased(Intervention):
    name = "place_based"
    summary = "All sectors and residents of one place, convened by a trusted intermediary through KLCC's stages."
    source = ("Leading Edge Promising Practices in Collective and Individual Leadership Development (Place-based "
              "leadership: Kellogg Leadership for Community Change)")
    Params = PlaceBasedParams

    def setup(self, model) -> None:
        self.cycles: list[Circles] = []
        self.place: int | None = self.params.place
        places = model.params.population.places
        if self.place is not None and self.place >= places:
            raise ValueError(f"{self.label}: place {self.place} does not exist (population.places is {places}: "
                             f"places 0 to {places - 1})")
        self.intermediary: int = -1
        self.trust = 0.0

    # ---- where and through whom ----------------------------------------------------------------------------
    def settle(self, model) -> None:
        """Choose the place (if not given) and the intermediary organization; trust is its openness."""
        if self.place is None:
            alive = model.people.alive_ids()
            self.place = int(model.people.place[alive[np.argmin(model.streams.uniform(f"{self.label}.place", 0,
                                                                                         alive))]])
        orgs = model.orgs
        sectors = model.params.population.sectors
        here = np.flatnonzero(orgs.place == self.place)
        if self.params.intermediary_sector in sectors:
            own = here[orgs.sector[here] == sectors.index(self.params.intermediary_sector)]
            here = own if len(own) else here
        if len(here):
            self.intermediary = int(here[np.argmax(orgs.openness[here])])
        default_trust = float(orgs.openness[self.intermediary]) if self.intermediary >= 0 else 0.0
        self.trust = self.params.trust if self.params.trust is not None else default_trust

    def eligible(self, model) -> np.ndarray:
        if self.place is None:
            self.settle(model)
        n = model.people.count
        return model.people.alive[:n] & (model.people.place[:n] == self.place)

    # ---- cycles --------------------------------------------------------------------------------------------
    def start_event(self, model, participants: np.ndarray) -> None:
        p = model.people
        draw = model.streams.uniform(f"{self.label}.circles", model.month, participants)
        order = np.lexsort((draw, p.sector[participants]))
        circle = np.empty(len(participants), dtype=np.int64)
        circle[order] = np.arange(len(participants)) % max(1, -(-len(participants) // self.params.circle_size))
        self.cycles.append(Circles(model, participants, circle, f"{self.label} cycle {self.events}"))

    def stage(self, elapsed: int) -> str:
        return STAGES[min(3, 4 * elapsed // self.params.every_months)]

    def step(self, model) -> None:
        for cycle in self.cycles:
            if not cycle.active:
                continue
            elapsed = model.month - cycle.created
            if elapsed >= self.params.every_months:
                cycle.active = False
                continue
            self._convene(model, cycle, self.stage(elapsed))
        if self.cycles and self.running(model.month):
            self._steward(model)

    def _convene(self, model, cycle: Circles, stage: str) -> None:
        prm, p, month, trust = self.params, model.people, model.month, self.trust
        ok = p.alive[cycle.members] & (model.streams.uniform(f"{self.label}.attend", month, cycle.members)
                                       < prm.attendance)
        ids, circle = cycle.members[ok], cycle.circle[ok]
        if len(ids) == 0:
            return
        a, b = group_pairs(ids, circle)
        tied = model.ties.exists(a, b)
        met = model.streams.uniform(f"{self.label}.meet", month, pair_ids(a, b)) < trust * prm.acquaintance
        meet(model, a[tied | met], b[tied | met])
        cap = p.capacity
        if stage == "build_trust":
            for dim in (CONNECTING, BRIDGING):
                practise_gain(model.people, ids, dim, trust * prm.capacity_gain * (1.0 - cap[ids, dim]))
        elif stage == "co_construct_purpose":
            p.purpose[ids] += trust * prm.purpose_gain * (1.0 - p.purpose[ids])
            p.engagement[ids] = np.minimum(1.0, p.engagement[ids] + trust * prm.engagement_gain)
        elif stage == "act_together":
            self._act_together(model, cycle, ids, circle)
        else:
            practise_gain(model.people, ids, LEARNING, trust * prm.capacity_gain * (1.0 - cap[ids, LEARNING]))
            p.engagement[ids] = np.minimum(1.0, p.engagement[ids] + trust * prm.engagement_gain)

    def _act_together(self, model, cycle: Circles, ids: np.ndarray, circle: np.ndarray) -> None:
        """Each circle acts together once a cycle: its engaged, aligned, free attendees may launch an initiative
        (chance: trust); those ready at a later convening of the stage join it while it is active."""
        p, month = model.people, model.month
        ready = ((p.engagement[ids] >= model.params.engagement.engaged_threshold)
                 & (p.purpose[ids] >= model.params.initiatives.min_purpose) & (p.initiative[ids] == NONE))
        circles = np.unique(circle[ready])
        launch = model.streams.uniform(f"{self.label}.launch", month, circles) < self.trust
        for c, go in zip(circles.tolist(), launch.tolist(), strict=True):  # a handful of circles
            members = ids[ready & (circle == c)]
            if c in cycle.launched:
                if cycle.launched[c].active:
                    cycle.launched[c].join(members)
            elif go and len(members) >= model.params.initiatives.min_members:
                cycle.launched[c] = start_initiative(model, members, source="place_based",
                                                     label=f"{self.label} {month}.{c}", funded_until=self.end_month)

    def _steward(self, model) -> None:
        """The intermediary sustains attention for initiatives rooted in the place."""
        p = model.people
        boost = self.trust * self.params.support_engagement
        for initiative in model.initiatives:  # tens to hundreds
            if not initiative.active or len(initiative.members) == 0:
                continue
            members = initiative.members[p.alive[initiative.members]]
            if len(members) and np.mean(p.place[members] == self.place) >= 0.5:
                p.engagement[members] = np.minimum(1.0, p.engagement[members] + boost)
