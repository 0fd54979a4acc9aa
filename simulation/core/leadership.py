"""Leaders act on others: a unit leader's competence shapes what their team applies and how long it stays engaged.

Leader development claims more than the fellow's own learning: MIT L2L's competencies include "collaborating and
building relationships", "fostering the potential of others" and "communicating with influence", and fellows apply
what they learn "when their managers are actively engaged" (MIT Leader to Leader (L2L) program description). The
meta-analyses measure exactly that at the results level: the trained leaders' units improve (Lacerenza et al. 2017,
results d = .72; Arthur et al. 2003, .62), the organization as a whole by less (Collins & Holton 2004, .39).

Mechanism (concept: the sources above and transfer-climate research, Blume et al. 2010; value of
``learning.leader_support``: an assumption, chosen so an L2L-like cohort's unit results come near the meta-analytic
range, see docs/evidence.md): a leader's *quality* is their competence above the month-0 mean competence of
leaders in the same position, so a community of average leaders has quality 0 and the baseline is not pushed
anywhere. Each month

* every member of a unit gets their leader's quality (0 when the unit has no living leader: the post is vacant
  until the newcomer arrives);
* each organization's quality is the mean of its living managers' and executive's, which raises its chance of
  adopting an initiative (sponsorship, ``initiatives.sponsorship``; read by ``initiatives.spread_initiatives``).

``learning.update_practice`` adds ``leader_support x quality`` of their unit leader and, for a leader,
``self_support x`` their own quality to a person's transfer factor (a leader has the opportunity to apply what
they know: trainees' ability and motivation predict transfer, more for open skills such as leadership, Blume et al.
2010; so do self-efficacy and the opportunity to perform, Grossman & Salas 2011), and
``engagement.spread_engagement`` slows the fading of their engagement by the same factor. The same rule holds for
every leader, trained or not: training acts on others only through the competence it adds.

Responsibilities: the leader reference at month 0 (:func:`start_leadership`) and the month's qualities
(:func:`assess_leaders`, step 2 of the month, before transfer).
Reads: ``model.people`` (``alive``, ``position``, ``capacity``, ``unit``, ``leads``, ``org``), ``model.orgs.units``.
Writes: ``model.leader_reference`` (month 0), ``model.unit_quality`` and ``model.own_quality`` (per person),
``model.org_quality`` (per org).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .compiled import njit
from .people import COMPETENCE, MANAGER

if TYPE_CHECKING:
    from .model import LeadershipModel


def start_leadership(model: LeadershipModel) -> None:
    """Month 0: the mean competence of living leaders by position (the reference quality is measured from)."""
    p = model.people
    n = p.count
    alive, position = p.alive[:n], p.position[:n]
    reference = np.zeros(3, dtype=np.float64)
    for pos in range(MANAGER, 3):
        mine = alive & (position == pos)
        if mine.any():
            reference[pos] = float(p.capacity[:n][mine, COMPETENCE].mean())
    model.leader_reference = reference
    assess_leaders(model)


def assess_leaders(model: LeadershipModel) -> None:
    """Each person's unit-leader quality and each organization's mean leader quality, this month."""
    p = model.people
    n = p.count
    model.unit_quality, model.own_quality, model.org_quality = _qualities(
        p.alive[:n], p.position[:n], p.capacity[:n, COMPETENCE], p.unit[:n], p.leads[:n], p.org[:n],
        model.leader_reference, model.orgs.units, model.orgs.count)


@njit(cache=True)
def _qualities(alive, position, competence, unit, leads, org, reference, n_units, n_orgs):
    """Leader quality = competence - reference[position]: each person's unit leader's (0 if vacant), each
    person's own (0 for staff), and each organization's mean over its living leaders (0 without any)."""
    of_unit = np.zeros(max(n_units, 1), np.float32)
    org_sum, org_count = np.zeros(n_orgs), np.zeros(n_orgs)
    for i in range(alive.shape[0]):
        if alive[i] and position[i] >= 1:
            q = np.float32(competence[i] - reference[position[i]])
            if leads[i] >= 0:
                of_unit[leads[i]] = q
            if org[i] >= 0:
                org_sum[org[i]] += q
                org_count[org[i]] += 1.0
    person = np.zeros(alive.shape[0], np.float32)
    own = np.zeros(alive.shape[0], np.float32)
    for i in range(alive.shape[0]):
        if alive[i] and unit[i] >= 0:
            person[i] = of_unit[unit[i]]
        if alive[i] and position[i] >= 1:
            own[i] = np.float32(competence[i] - reference[position[i]])
    org_q = np.zeros(n_orgs)
    for o in range(n_orgs):
        if org_count[o] > 0:
            org_q[o] = org_sum[o] / org_count[o]
    return person, own, org_q
