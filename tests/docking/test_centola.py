"""Docking with Centola (2010) inside the model's own network (docs/docking.md).

Centola's experiment (Science 329:1194-1197): behaviour that needs reinforcement from several contacts spread
further (54% vs 38% adoption) and about four times faster on clustered networks than on random networks of the same
degree. Here the model's engagement contagion runs on a 2,000-person LeadershipModel's initial network and on a
degree-preserving randomisation of the same ties (``centola_setup``); the same people are seeded in both.
Simple contagion (``contagion_threshold = 1``) must not favour clustering: there the random network's short paths
win (Granovetter 1973; Centola & Macy 2007), as in Centola's comparison.
"""

from __future__ import annotations

import networkx as nx
import pytest
from centola_setup import PEOPLE, months_to, networks, paired_curves

from simulation.evidence import target

TRIALS, FOCAL, MONTHS = 10, 2, 60


@pytest.fixture(scope="module")
def graphs() -> tuple[nx.Graph, nx.Graph]:
    return networks()


def test_the_randomisation_keeps_every_degree_and_removes_the_clustering(graphs) -> None:
    clustered, randomised = graphs
    assert dict(clustered.degree()) == dict(randomised.degree())
    assert clustered.number_of_edges() == randomised.number_of_edges() > 5000
    # The model's network at the defaults (Zipf organization sizes): transitivity 0.052 (colleagues know each
    # other); randomised 0.0064 - an eighth. A fifth leaves room for another draw and still means "mostly gone".
    assert nx.transitivity(randomised) < 0.2 * nx.transitivity(clustered)


def test_complex_contagion_spreads_further_in_the_clustered_original(graphs) -> None:
    """Threshold 2 (the default): two focal people and their contacts seeded, 60 months."""
    run = paired_curves(TRIALS, FOCAL, 2, MONTHS, graphs=graphs)
    clustered, randomised = run.clustered[:, -1], run.randomised[:, -1]
    # Measured at the defaults: clustered 6,410 engaged over the ten trials, randomised 3,906 (1.64x; Centola 2010:
    # 54% vs 38%, 1.42x); clustered ahead or level in 8 of 10 trials (behind where the seeds' organization is small
    # and the spread stops at its edge). The ratio must clear the evidence target's lower end (1.1) and 8 of 10
    # trials must not reverse.
    low, _ = target("contagion.clustered_vs_random").interval
    assert clustered.sum() > low * randomised.sum()
    assert (clustered >= randomised).sum() >= 8
    assert run.clustered.sum() > run.randomised.sum()  # further at every month taken together: faster too


def test_simple_contagion_does_not_favour_clustering(graphs) -> None:
    """Threshold 1: one engaged contact suffices; the randomised network's short paths spread it faster."""
    run = paired_curves(TRIALS, FOCAL, 1, MONTHS, graphs=graphs)
    half = PEOPLE / 2
    clustered, randomised = months_to(run.clustered, half), months_to(run.randomised, half)
    # Measured: half the population engaged 7.8 months sooner on the randomised network (25.6 against 33.4), in
    # every trial. The assertion asks only that clustering does not win: randomised sooner on average and in most.
    assert randomised.mean() < clustered.mean() - 2
    assert (randomised <= clustered).sum() >= 8


def test_the_clustered_advantage_needs_the_threshold(graphs) -> None:
    """The same seeds, the same networks: the clustered-to-random ratio of reach at month 24 is larger under
    complex than under simple contagion (the mechanism, not the seeds, makes the difference)."""
    complex_run = paired_curves(TRIALS, FOCAL, 2, 24, graphs=graphs)
    simple_run = paired_curves(TRIALS, FOCAL, 1, 24, graphs=graphs)
    ratio_complex = complex_run.clustered[:, -1].sum() / complex_run.randomised[:, -1].sum()
    ratio_simple = simple_run.clustered[:, -1].sum() / simple_run.randomised[:, -1].sum()
    # Measured: 1.82 under complex contagion, 0.50 under simple contagion.
    assert ratio_complex > 1.3 and ratio_simple < 0.8
