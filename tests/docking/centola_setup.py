"""Centola (2010) inside the model's own network: the engagement contagion on a LeadershipModel's initial network
and on a degree-preserving randomisation of the same ties. Shared by tests/docking/test_centola.py and
docs/docking.py.

Set-up (docs/docking.md): a 2,000-person LeadershipModel is built; its ties are rewired by double-edge swaps
(networkx's ``double_edge_swap``, seeded; ten swaps per tie), which keeps every person's degree and destroys the
clustering. The same people are seeded engaged in both - a few focal people and their contacts, the neighbourhood
seed of Centola & Macy (2007) - everyone's purpose is set to 1 (engagement does not fade) and spontaneous climbing
to 0, and only the model's :func:`~simulation.core.engagement.spread_engagement` runs, month after month.
"""

from __future__ import annotations

from types import SimpleNamespace

import networkx as nx
import numpy as np

from simulation import LeadershipModel, Scenario
from simulation.core.engagement import spread_engagement
from simulation.core.network import CROSS_ORG, Ties

PEOPLE = 2000


def networks(seed: int = 3, swap_seed: int = 7) -> tuple[nx.Graph, nx.Graph]:
    """The model's initial network (a 2,000-person model, run seed ``seed``) and its degree-preserving
    randomisation."""
    model = LeadershipModel(Scenario(population={"people": PEOPLE}, months=1), rng=seed, person_agents=False)
    clustered = nx.Graph()
    clustered.add_nodes_from(range(model.people.count))
    clustered.add_edges_from(map(tuple, model.ties.ends.tolist()))
    randomised = clustered.copy()
    nx.double_edge_swap(randomised, nswap=10 * randomised.number_of_edges(), max_tries=10**7, seed=swap_seed)
    return clustered, randomised


def neighbourhood_seeds(graph: nx.Graph, focal: int, rng: np.random.Generator) -> np.ndarray:
    """``focal`` people (drawn among those with three or more contacts) and all their contacts."""
    eligible = np.array([v for v, d in graph.degree() if d >= 3])
    chosen = rng.choice(eligible, focal, replace=False)
    return np.unique(np.concatenate([[f, *graph.neighbors(int(f))] for f in chosen])).astype(np.int64)


def adoption_curve(graph: nx.Graph, seeds: np.ndarray, threshold: int, months: int, run_seed: int = 3,
                   **engagement) -> np.ndarray:
    """Engaged people after each month when only the model's engagement contagion runs on ``graph``."""
    scenario = Scenario(population={"people": PEOPLE}, months=months,
                        engagement={"contagion_threshold": threshold, "spontaneous_rate": 0.0, **engagement})
    model = LeadershipModel(scenario, rng=run_seed, person_agents=False)
    ends = np.array(graph.edges(), dtype=np.int64).reshape(-1, 2)
    ties = Ties()
    ties.upsert(ends[:, 0], ends[:, 1], CROSS_ORG, 0, 0.5, 0.0)  # the contagion ignores kinds and weights
    n = model.people.count
    model.ties = ties
    model.people.purpose[:n] = 1.0  # no fading: isolate the spreading
    model.people.engagement[:n] = 0.0
    model.people.engagement[seeds] = 1.0
    threshold_level = model.params.engagement.engaged_threshold
    curve = np.zeros(months, np.int64)
    for month in range(months):
        model.month = month
        spread_engagement(model)
        curve[month] = int((model.people.engagement[:n] >= threshold_level).sum())
    return curve


def paired_curves(trials: int, focal: int, threshold: int, months: int, seed: int = 1,
                  graphs: tuple[nx.Graph, nx.Graph] | None = None, **engagement) -> SimpleNamespace:
    """Adoption curves on both networks for ``trials`` seed sets (the same people seeded in both)."""
    clustered, randomised = graphs or networks()
    rng = np.random.default_rng(seed)
    out = SimpleNamespace(clustered=[], randomised=[])
    for trial in range(trials):
        seeds = neighbourhood_seeds(clustered, focal, rng)
        out.clustered.append(adoption_curve(clustered, seeds, threshold, months, run_seed=trial, **engagement))
        out.randomised.append(adoption_curve(randomised, seeds, threshold, months, run_seed=trial, **engagement))
    out.clustered, out.randomised = np.array(out.clustered), np.array(out.randomised)
    return out


def months_to(curves: np.ndarray, level: float) -> np.ndarray:
    """For each curve, the first month by which ``level`` people are engaged (the curve's length if never)."""
    reached = curves >= level
    return np.where(reached.any(axis=1), reached.argmax(axis=1), curves.shape[1])
