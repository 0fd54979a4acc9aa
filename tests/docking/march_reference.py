"""A reference implementation of March's (1991) mutual-learning model, written from the paper, for docking.

March, J. G. (1991). Exploration and exploitation in organizational learning. *Organization Science* 2(1):71-87,
pp. 74-79. What the paper says, and where the text leaves a step open, what March's own BASIC program does (as
described by Watts & Gilbert 2014, ch. 4, from the BASIC version Simon Rodan supplied, and by Christensen's 2015
replication note):

* Reality has ``m`` dimensions, each +1 or -1 with probability 0.5. Each of ``n`` individuals holds a belief in
  {-1, 0, 1} on each dimension (equally likely); the organizational code starts at 0 everywhere (p. 74-75).
* A belief's or the code's *score* is the number of dimensions it gets right minus those it gets wrong. The
  *superior group* is the individuals whose score beats the code's (p. 74; the BASIC compares scores).
* **Socialization** (p1): where the code is not 0 and an individual differs from it, the belief moves toward the
  code with probability p1 - one step, as the BASIC does (a wrong belief becomes 0, a 0 becomes the code's value).
* **Code learning** (p2): on each dimension the code moves toward the superior group's majority belief with
  probability ``1 - (1 - p2)^k``, k the majority's margin (footnote 1) - one step, as the BASIC does. The superior
  group and its beliefs are taken before this period's socialization (the BASIC's order).
* **Turnover** (p3, p. 78): each period each individual leaves with probability p3 and is replaced by one with
  naive beliefs (each value equally likely). Heterogeneous socialization (p. 76): some individuals learn at a fast
  rate (0.9), the others at a slow one.
* **Knowledge** is the proportion of dimensions on which the code matches reality (p. 75); the *equilibrium* is
  reached when every individual agrees with the code on every dimension (p. 75: "all individuals and the code share
  the same ... belief"), without turnover. With turnover there is no equilibrium and March reports a fixed period.

This is test code: it shares nothing with the model, so that the model's own submodel can be docked against it
(Axtell, Axelrod, Epstein & Cohen 1996, "Aligning simulation models": the same *directions*, relational
equivalence, not the same numbers). Each replication is one numba loop; replications use consecutive seeds.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def _run(seed: int, n: int, m: int, p1_slow: float, p1_fast: float, n_fast: int, p2: float, p3: float,
         periods: int, max_periods: int) -> float:
    """One replication; returns the code's knowledge (share of dimensions right) at equilibrium or ``periods``."""
    np.random.seed(seed)
    reality = np.where(np.random.random(m) < 0.5, -1, 1)
    beliefs = np.random.randint(-1, 2, (n, m))
    code = np.zeros(m, np.int64)
    rate = np.full(n, p1_slow)
    rate[:n_fast] = p1_fast
    limit = periods if periods > 0 else max_periods
    majority = np.zeros(m, np.int64)
    for _ in range(limit):
        for i in range(n):  # turnover: a naive newcomer takes the place
            if p3 > 0 and np.random.random() < p3:
                for d in range(m):
                    beliefs[i, d] = np.random.randint(-1, 2)
        code_score = 0
        for d in range(m):
            code_score += code[d] * reality[d]
        majority[:] = 0
        for i in range(n):  # the superior group's summed beliefs, before socialization
            score = 0
            for d in range(m):
                score += beliefs[i, d] * reality[d]
            if score > code_score:
                for d in range(m):
                    majority[d] += beliefs[i, d]
        for i in range(n):  # socialization toward the code (one step), where the code has a view
            for d in range(m):
                if code[d] != 0 and beliefs[i, d] != code[d] and np.random.random() < rate[i]:
                    beliefs[i, d] = code[d] if beliefs[i, d] == 0 else 0
        for d in range(m):  # code learning from the superior group's majority (one step)
            k = abs(majority[d])
            target = 0 if majority[d] == 0 else (1 if majority[d] > 0 else -1)
            if target != 0 and target != code[d] and np.random.random() > (1.0 - p2) ** k:
                code[d] = target if code[d] == 0 else 0
        if periods <= 0:
            agree = True
            for i in range(n):
                for d in range(m):
                    if beliefs[i, d] != code[d]:
                        agree = False
            if agree:
                break
    right = 0
    for d in range(m):
        right += code[d] == reality[d]
    return right / m


def code_knowledge(p1: float, p2: float, *, reps: int, seed: int = 0, n: int = 50, m: int = 30, n_fast: int = 0,
                   p1_fast: float = 0.9, p3: float = 0.0, periods: int = 0, max_periods: int = 5000) -> np.ndarray:
    """The code's knowledge in each of ``reps`` replications (seeds ``seed``, ``seed + 1``, ...).

    ``periods=0`` runs to equilibrium (at most ``max_periods``); a positive ``periods`` stops there (turnover).
    ``n_fast`` individuals socialise at ``p1_fast``, the others at ``p1``.
    """
    return np.array([_run(seed + r, n, m, p1, p1_fast, n_fast, p2, p3, periods, max_periods) for r in range(reps)])
