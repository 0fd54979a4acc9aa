"""Boundary-crossing (bridging) leadership: durable, trusting ties across sectors and identity groups.

"In any community or system there are boundaries that keep people apart and lead to misunderstandings and tensions
... Boundaries include those of race, ethnicity, gender, generation, sexual orientation, sector, profession and many
others ... Some of the strategies that are effective at developing boundary-crossing leadership are listening,
storytelling, dialogue, and joint projects" (Leading Edge Promising Practices in Collective and Individual Leadership
Development, "Boundary-Crossing"). "Bridging is a process of uncovering shared concerns, frustrations, hopes and
goals across differences in culture and focus of work" (A New Leadership Mindset).

Mechanism:

* **Diverse circles**: each intake is drawn across sectors and residents (``stratified`` by default) and dealt into
  dialogue circles of at most ``circle_size`` so that every circle mixes sectors and identity groups (participants
  are ordered by identity group and sector and dealt round-robin).
* **Trust**: every pair in a circle that crosses a boundary (another sector or another identity group) is tied at
  ``trust_weight`` (or raised to it, if they knew each other), above the network's strong-tie weight. Ordinary
  meetings make weak ties (``new_tie_weight``) that mostly vanish within a year (Burt 2002); trust is what makes
  these durable.
* **Sessions**: the circle meets every month for ``sessions`` months (listening, storytelling, joint projects). Each
  member attends with probability ``attendance``; ties among attendees are reinforced, so after the programme they
  are strong and decay at the strong-tie rate. Attendees gain ``bridging_gain`` of the distance to full bridging
  capacity per session and half of that on connecting.

Defaults (assumptions where no seed gives a number): yearly intakes; circles of 12 (assumption: a dialogue or
storytelling circle); six monthly sessions (assumption); attendance 80% (assumption); trust weight 0.6 (above
``network.strong_tie_weight`` 0.5); bridging gain 3% of the gap per session (assumption). Cost 1,500 per participant
(assumption: six facilitated sessions at about 2,000 each for a circle of twelve, plus outreach across boundaries).
"""

from __future__ import annotations

import numpy as np

from ..agents import Collective
from ..learning import practise_gain
from ..people import BRIDGING, CONNECTING
from .base import Intervention, register
from .meetings import group_pairs, meet, tie_at_least
from .params.boundary_crossing import BoundaryCrossingParams


class DialogueCircles(Collective):
    """One intake of boundary-crossing circles: members, their circle, and the boundary-crossing pairs."""

    kind = "dialogue_circles"

    def __init__(self, model, members: np.ndarray, circle: np.ndarray, label: str = "") -> None:
        super().__init__(model, members, label)
        self.circle = np.asarray(circle, dtype=np.int64)
        a, b = group_pairs(self.members, self.circle)
        p = model.people
        crossing = (p.sector[a] != p.sector[b]) | (p.group[a] != p.group[b])
        self.pair_a, self.pair_b = a[crossing], b[crossing]


@register
class BoundaryCrossing(Intervention):
    name = "boundary_crossing"
    summary = "Dialogue circles that mix sectors and identity groups: durable trusting bridges, bridging capacity."
    source = "Leading Edge Promising Practices in Collective and Individual Leadership Development (Boundary-Crossing)"
    Params = BoundaryCrossingParams

    def setup(self, model) -> None:
        self.intakes: list[DialogueCircles] = []

    def start_event(self, model, participants: np.ndarray) -> None:
        p = model.people
        draw = model.streams.uniform(f"{self.label}.circles", model.month, participants)
        order = np.lexsort((draw, p.sector[participants], p.group[participants]))
        n_circles = max(1, -(-len(participants) // self.params.circle_size))
        circle = np.empty(len(participants), dtype=np.int64)
        circle[order] = np.arange(len(participants)) % n_circles  # dealt round-robin: every circle mixes
        intake = DialogueCircles(model, participants, circle, f"{self.label} {self.events}")
        tie_at_least(model, intake.pair_a, intake.pair_b, self.params.trust_weight)
        self.intakes.append(intake)

    def step(self, model) -> None:
        for intake in self.intakes:
            if not intake.active:
                continue
            if model.month - intake.created >= self.params.sessions:
                intake.active = False
                continue
            self._session(model, intake)

    def _session(self, model, intake: DialogueCircles) -> None:
        prm, p, month = self.params, model.people, model.month
        draw = model.streams.uniform(f"{self.label}.attend", month, intake.members)
        present_mask = np.zeros(p.count, dtype=bool)
        present_mask[intake.members[p.alive[intake.members] & (draw < prm.attendance)]] = True
        both = present_mask[intake.pair_a] & present_mask[intake.pair_b]
        meet(model, intake.pair_a[both], intake.pair_b[both], prm.trust_weight)
        ids = np.flatnonzero(present_mask)
        practise_gain(p, ids, BRIDGING, prm.bridging_gain * (1.0 - p.capacity[ids, BRIDGING]))
        practise_gain(p, ids, CONNECTING, 0.5 * prm.bridging_gain * (1.0 - p.capacity[ids, CONNECTING]))
