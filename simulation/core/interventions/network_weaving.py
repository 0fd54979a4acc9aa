"""Network weaving with multiple entry points (the "layer cake"): the periphery is connected to the core and people
climb an engagement ladder.

"A number of organizations that use network strategies create multiple entry points for people to get involved in
things they care about. Mom's Rising calls this the layer cake approach. A mom may get involved by sharing her story
... and as she gets more interested there she can take on more responsibility ... Each contribution (small and large)
is celebrated, and as more people get involved and move around there is always someone with experience to mentor
people who are learning a new task ... In networks there is attention to people and groups who are at the periphery
of the network" (Pushing the Envelope on Leadership Development Delivery Strategies). Networks "enable people to
meet and get to know each other ... and call on each other for assistance" (Leading Edge Promising Practices in
Collective and Individual Leadership Development, "Networks").

Mechanism:

* **Entry points**: each intake takes people from the periphery (``periphery`` selection: the fewest engaged
  contacts, then the least engaged). Entering is a small first contribution: engagement rises by one rung (the
  scenario's ``engagement.climb``).
* **Weaving**: the weaver introduces each entrant to ``introductions`` people of the core (engaged people, the most
  connected first among a random shortlist), and for ``support_months`` keeps those ties active (joint tasks,
  celebrated contributions): they are reinforced every month, so they grow strong. Being tied to several engaged
  people is exactly what complex contagion needs (``engagement.py``: Centola 2010), so the model's own social
  influence then works on the entrant.
* **The ladder**: each supported month an entrant below the top rung takes on more responsibility with probability
  ``climb_probability`` times their purpose alignment (people climb "as she gets more interested", in "things
  they care about"): engagement rises a rung and they learn by doing (``rung_learning``, through
  ``learning.learn_by_doing``: practised, so kept). Those who reach the top rung are engaged and well connected,
  so later intakes are introduced to them: the experienced mentor the newcomers.

Defaults (assumptions where no seed gives a number): an intake every quarter (entry points are always open); two
introductions (assumption); a year of support (assumption); three rungs ("sharing her story" -> a task ->
organizing, after the Mom's Rising example); a climb chance of 0.15 a month at full purpose (the scenario's default
``engagement.adoption_probability``, Centola 2010); cost 500 per entrant (assumption: one weaver, about 75,000 a
year with overheads, supports about 150 people a year).
"""

from __future__ import annotations

import numpy as np

from ..agents import Collective
from ..learning import learn_by_doing
from .base import Intervention, register
from .meetings import meet
from .params.network_weaving import NetworkWeavingParams

SHORTLIST = 3  # core people the weaver considers per introduction; the best-connected of them is introduced


class Layer(Collective):
    """One intake of entrants: their rung on the ladder and the core contacts they were introduced to."""

    kind = "weaving_intake"

    def __init__(self, model, members: np.ndarray, label: str = "") -> None:
        super().__init__(model, members, label)
        self.rung = np.ones(len(members), dtype=np.int64)
        self.pair_a = np.zeros(0, dtype=np.int64)  # entrant of each woven tie
        self.pair_b = np.zeros(0, dtype=np.int64)  # core contact of each woven tie


@register
class NetworkWeaving(Intervention):
    name = "network_weaving"
    summary = "Multiple entry points: the periphery is introduced to the core and climbs an engagement ladder."
    source = ("Pushing the Envelope on Leadership Development Delivery Strategies (multiple entry points, layer "
              "cake); Leading Edge Promising Practices in Collective and Individual Leadership Development "
              "(Networks)")
    Params = NetworkWeavingParams

    def setup(self, model) -> None:
        self.layers: list[Layer] = []

    def start_event(self, model, participants: np.ndarray) -> None:
        p = model.people
        layer = Layer(model, participants, f"{self.label} {self.events}")
        p.engagement[participants] = np.minimum(1.0, p.engagement[participants] + model.params.engagement.climb)
        layer.pair_a, layer.pair_b = self._introduce(model, participants)
        self.layers.append(layer)

    def _introduce(self, model, entrants: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Each entrant meets ``introductions`` core people: the best connected of a random shortlist each."""
        p, prm, month = model.people, self.params, model.month
        n = p.count
        core_mask = p.alive[:n] & (p.engagement[:n] >= model.params.engagement.engaged_threshold)
        core_mask[entrants] = False
        core = np.flatnonzero(core_mask)
        k = prm.introductions
        if len(core) == 0 or k == 0:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        per = k * SHORTLIST
        draw_key = np.repeat(entrants, per) * per + np.tile(np.arange(per), len(entrants))  # entrant id, slot
        pick = core[model.streams.integers(f"{self.label}.introduce", month, draw_key, len(core))]
        pick = pick.reshape(len(entrants) * k, SHORTLIST)
        degree = model.ties.degree(n)[pick]
        contact = pick[np.arange(len(pick)), np.argmax(degree, axis=1)]
        entrant = np.repeat(entrants, k)
        meet(model, entrant, contact)
        return entrant, contact

    def step(self, model) -> None:
        for layer in self.layers:
            if not layer.active:
                continue
            if model.month - layer.created >= self.params.support_months:
                layer.active = False
                continue
            if model.month > layer.created:
                self._support(model, layer)

    def _support(self, model, layer: Layer) -> None:
        """A supported month: woven ties are kept active; some entrants take on more and climb a rung."""
        prm, p, month = self.params, model.people, model.month
        alive = p.alive
        ok = alive[layer.pair_a] & alive[layer.pair_b]
        meet(model, layer.pair_a[ok], layer.pair_b[ok])
        can = alive[layer.members] & (layer.rung < prm.rungs)
        draw = model.streams.uniform(f"{self.label}.climb", month, layer.members)
        climbs = can & (draw < prm.climb_probability * p.purpose[layer.members])
        layer.rung[climbs] += 1
        climbers = layer.members[climbs]
        p.engagement[climbers] = np.minimum(1.0, p.engagement[climbers] + model.params.engagement.climb)
        learn_by_doing(p, climbers, prm.rung_learning)
