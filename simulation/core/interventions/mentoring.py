"""Mentoring: emerging leaders paired with established ones; how well a pair fits decides what passes between them.

"Mentoring is often a one-on-one relationship in which emerging leaders have an opportunity to connect and work
with more established, experienced leaders who can advise them, help connect them to people and resources, and
provide encouragement and support ... One of the challenges of mentoring programs is finding the right fit between
the mentor and the mentee. This is more than matching needs with skills; personality compatibility is essential"
(Leading Edge Promising Practices in Collective and Individual Leadership Development, "Mentoring").

Mechanism:

* **Who**: mentees are staff members or residents (emerging leaders; by default the most engaged first); mentors
  are managers and executives (``mentor_min_position``) not already mentoring, from any organization.
* **Matching**: every pair has a personal *fit* in [0, 1] (compatibility: a draw keyed by the pair, so the same two
  people always fit equally well) and a *gap*, the mean amount by which the mentor's capacities exceed the mentee's
  ("matching needs with skills"). A pair's value is fit x gap. The programme screens ``candidates`` mentors per
  mentee and picks the one that looks best; ``match_quality`` is how much of the true value it sees (1: it sees
  the value exactly; 0: its choice is random). Mentors taken twice go to the mentee that values them most; the
  others try their next candidates, and whoever is left is paired with a free mentor at random.
* **What passes**: each month of the relationship the mentee closes ``transfer_rate x fit`` of the gap on every
  capacity where the mentor is ahead, and with chance ``introduction_rate x fit`` is introduced to one of the
  mentor's contacts (a new weak tie: "help connect them to people and resources").
* **The tie**: the pair is tied at ``tie_weight`` or more (above the network's strong-tie weight) and the tie is
  reinforced every month of the relationship, so it is strong and outlives ordinary bridges (Burt 2002 decay rates
  for strong vs weak ties).

Defaults: ``duration_months`` 12 and one intake a year (assumption: the usual formal programme year; Leading Edge
lists duration as an open question). ``transfer_rate`` 0.04 a month at a perfect fit closes about 40% of the gap in
a year (30% at a typical fit of 0.7): a small effect (assumption, in line with Eby et al. 2008, a meta-analysis in
which mentoring outcomes are small; Leading Edge: mentoring "if done well, supports the leadership development of
the mentee"). ``match_quality`` 0.5 (assumption: personality compatibility "is often not given enough
consideration"). Cost 2,500 per pair a year (assumption: coordination, mentor training and a formal agreement,
which Leading Edge says programmes need; mentors give their time).
"""

from __future__ import annotations

import numpy as np

from ..agents import Collective
from ..learning import practise_gain
from ..people import STAFF
from ..streams import pair_ids
from .base import Intervention, register
from .meetings import meet, tie_at_least
from .params.mentoring import MentoringParams

MATCH_ROUNDS = 6  # rounds of proposals to screened candidates; then the rest are paired with free mentors


class MentoringPairs(Collective):
    """One intake of mentoring pairs: mentees (``members``), their mentors and each pair's fit."""

    kind = "mentoring"

    def __init__(self, model, mentees: np.ndarray, mentors: np.ndarray, fit: np.ndarray, label: str = "") -> None:
        super().__init__(model, mentees, label)
        self.mentors = np.asarray(mentors, dtype=np.int64)
        self.fit = np.asarray(fit, dtype=np.float64)

    def living_pairs(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Pairs whose two people are both still in the community (a pair ends when either leaves)."""
        alive = self.model.people.alive
        ok = alive[self.members] & alive[self.mentors]
        return self.members[ok], self.mentors[ok], self.fit[ok]


@register
class Mentoring(Intervention):
    name = "mentoring"
    summary = "Emerging leaders paired with established ones; match quality sets what passes; a strong tie."
    source = "Leading Edge Promising Practices in Collective and Individual Leadership Development (Mentoring)"
    Params = MentoringParams

    def setup(self, model) -> None:
        self.intakes: list[MentoringPairs] = []
        self._mentoring_until = np.zeros(0, dtype=np.int64)  # per id: month a mentor's current pair ends

    # ---- who takes part ---------------------------------------------------------------------------------
    def eligible(self, model) -> np.ndarray:
        mask = super().eligible(model)
        return mask & (model.people.position[: len(mask)] == STAFF)

    def mentor_pool(self, model) -> np.ndarray:
        p = model.people
        n = p.count
        busy = np.zeros(n, dtype=bool)
        until = self._mentoring_until[:n]
        busy[: len(until)] = until > model.month
        return np.flatnonzero(p.alive[:n] & (p.position[:n] >= self.params.mentor_min_position) & ~busy)

    def choose(self, model, k: int) -> np.ndarray:
        """No more mentees than there are free mentors (so no one is charged for a pair that cannot form)."""
        return super().choose(model, min(k, len(self.mentor_pool(model))))

    # ---- matching ---------------------------------------------------------------------------------------
    def pair_value(self, model, mentees: np.ndarray, mentors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Fit (compatibility, fixed per pair) and value (fit x mean capacity gap) of candidate pairs."""
        fit = model.streams.uniform(f"{self.label}.fit", 0, pair_ids(mentees, mentors))
        cap = model.people.capacity
        gap = np.maximum(cap[mentors] - cap[mentees], 0.0).mean(axis=1)
        return fit, fit * gap

    def match(self, model, mentees: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Mentor and fit for each mentee (-1 / 0 if none), by rounds of proposals to screened candidates."""
        pool = self.mentor_pool(model)
        k, month, prm = self.params.candidates, model.month, self.params
        m = len(mentees)
        slot = np.repeat(np.arange(m), k)
        draw_key = mentees[slot] * k + np.tile(np.arange(k), m)  # keyed by mentee id and candidate number
        cand = pool[model.streams.integers(f"{self.label}.candidates", month, draw_key, len(pool))]
        fit, value = self.pair_value(model, mentees[slot], cand)
        scale = value.mean() if value.mean() > 0 else 1.0
        noise = 2.0 * model.streams.uniform(f"{self.label}.screen", month, pair_ids(mentees[slot], cand))
        seen = prm.match_quality * value / scale + (1.0 - prm.match_quality) * noise
        mentor = np.full(m, -1, dtype=np.int64)
        pair_fit = np.zeros(m)
        open_cand = np.ones(len(slot), dtype=bool)
        taken = np.zeros(model.people.count, dtype=bool)
        for _ in range(MATCH_ROUNDS):
            open_cand &= ~taken[cand] & (mentor[slot] < 0)
            if not open_cand.any():
                break
            idx = np.flatnonzero(open_cand)
            best = idx[np.lexsort((-seen[idx], slot[idx]))]  # each mentee's best open candidate first
            first = np.concatenate([[True], slot[best][1:] != slot[best][:-1]])
            proposal = best[first]
            winner = proposal[np.lexsort((-seen[proposal], cand[proposal]))]  # each mentor keeps the best
            keep = np.concatenate([[True], cand[winner][1:] != cand[winner][:-1]])
            won = winner[keep]
            mentor[slot[won]] = cand[won]
            pair_fit[slot[won]] = fit[won]
            taken[cand[won]] = True
        # Whoever is left gets a free mentor at random: the programme pairs everyone it enrolled.
        left = np.flatnonzero(mentor < 0)
        free = pool[~taken[pool]]
        if len(left) and len(free):
            free = free[np.argsort(model.streams.uniform(f"{self.label}.fallback", month, free))][: len(left)]
            left = left[: len(free)]
            mentor[left] = free
            pair_fit[left] = self.pair_value(model, mentees[left], free)[0]
        return mentor, pair_fit

    def start_event(self, model, participants: np.ndarray) -> None:
        if len(self.mentor_pool(model)) == 0:
            return
        mentor, fit = self.match(model, participants)
        ok = mentor >= 0
        mentees, mentors, fit = participants[ok], mentor[ok], fit[ok]
        if len(mentees) == 0:
            return
        until = model.month + self.params.duration_months
        if len(self._mentoring_until) < model.people.size:
            grown = np.zeros(model.people.size, dtype=np.int64)
            grown[: len(self._mentoring_until)] = self._mentoring_until
            self._mentoring_until = grown
        self._mentoring_until[mentors] = until
        tie_at_least(model, mentees, mentors, self.params.tie_weight)
        self.intakes.append(MentoringPairs(model, mentees, mentors, fit, f"{self.label} {self.events}"))

    # ---- the monthly relationship -----------------------------------------------------------------------
    def step(self, model) -> None:
        for intake in self.intakes:
            if not intake.active:
                continue
            if model.month - intake.created >= self.params.duration_months:
                intake.active = False
                continue
            mentees, mentors, fit = intake.living_pairs()
            if len(mentees):
                self._meet(model, mentees, mentors, fit)

    def _meet(self, model, mentees: np.ndarray, mentors: np.ndarray, fit: np.ndarray) -> None:
        """A month of mentoring: capacity passes in proportion to fit; introductions; the tie is reinforced."""
        prm, p = self.params, model.people
        gap = np.maximum(p.capacity[mentors] - p.capacity[mentees], 0.0)
        practise_gain(p, mentees, slice(None), (prm.transfer_rate * fit)[:, None].astype(np.float32) * gap)
        meet(model, mentees, mentors, prm.tie_weight)
        introduced = model.streams.uniform(f"{self.label}.introduce", model.month, mentees) < (
            prm.introduction_rate * fit)
        if introduced.any():
            who = mentees[introduced]
            contact = model.ties.random_neighbor(mentors[introduced], p.count, model.streams,
                                                 f"{self.label}.contact", model.month)
            ok = (contact >= 0) & (contact != who) & p.alive[np.maximum(contact, 0)]
            meet(model, who[ok], contact[ok])
