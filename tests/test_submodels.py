"""Each submodel on its own, against the behaviour its parameter promises."""

from types import SimpleNamespace

import numpy as np
import pytest

from simulation import LeadershipModel, Scenario
from simulation.core.community import ces
from simulation.core.learning import forget
from simulation.core.network import CROSS_ORG, CROSS_SECTOR, WORK, Ties
from simulation.core.network_formation import monthly_survival
from simulation.core.people import People
from simulation.core.scenario import LearningParams
from simulation.core.streams import Streams


def _people(n: int) -> People:
    people = People(n)
    people.add(n, month=0)
    return people


def _model(people: People, ties: Ties | None = None, streams: Streams | None = None, month: int = 0,
           **params) -> SimpleNamespace:
    """A stand-in with only what a submodel reads (its module docstring lists it): people, ties, streams, month
    and the parameter sections given."""
    return SimpleNamespace(people=people, ties=ties, streams=streams, month=month, params=SimpleNamespace(**params))


@pytest.mark.parametrize("half_life", [6.0, 13.0])
def test_forgetting_follows_half_life_without_practice(half_life):
    people = _people(50)
    people.base_capacity[:50] = 0.2
    people.capacity[:50] = 0.6  # a gain of 0.4 over the base
    people.practice[:50] = 0.0
    model = _model(people, learning=LearningParams(forgetting_half_life=half_life))
    for _ in range(int(half_life)):
        forget(model)
    frac = int(half_life) / half_life  # whole months stepped
    expected = 0.2 + 0.4 * 0.5**frac
    np.testing.assert_allclose(people.capacity[:50], expected, rtol=1e-5)  # float32 arithmetic


def test_practice_slows_forgetting_and_full_practice_keeps_everything():
    people = _people(3)
    people.base_capacity[:3] = 0.2
    people.capacity[:3] = 0.6
    people.practice[:3] = [0.0, 0.5, 1.0]
    model = _model(people, learning=LearningParams(forgetting_half_life=9.0))
    for _ in range(9):
        forget(model)
    kept = people.capacity[:3, 0] - 0.2
    np.testing.assert_allclose(kept, [0.2, 0.4 * 0.5**0.5, 0.4], rtol=1e-5)


def _ties_of_kind(n_ties: int, kind: int, weight: float) -> Ties:
    ties = Ties()
    a = np.arange(n_ties) * 2
    ties.upsert(a, a + 1, kind, 0, weight, 0.0)
    return ties


@pytest.mark.parametrize("per_year", [0.1, 0.5])
def test_unreinforced_bridges_survive_a_year_at_the_parameter_rate(per_year):
    ties = _ties_of_kind(20_000, CROSS_ORG, 0.2)
    streams = Streams(3)
    m = monthly_survival(per_year)
    for month in range(1, 13):
        ties.decay(month, m, 0.99, strong_weight=0.5, weight_decay=0.0, streams=streams)
    # Binomial sd of the surviving share is at most sqrt(0.25 / 20000) = 0.0035; 0.015 is over 4 sd.
    assert len(ties) / 20_000 == pytest.approx(per_year, abs=0.015)


def test_reinforced_and_structural_ties_do_not_decay():
    ties = _ties_of_kind(1000, CROSS_SECTOR, 0.2)
    work = _ties_of_kind(1000, WORK, 0.5)
    streams = Streams(1)
    for month in range(1, 13):
        ties.reinforce_where(np.ones(len(ties), dtype=bool), month, 0.1)  # shared activity every month
        ties.decay(month, 0.5, 0.5, 0.5, 0.05, streams)
        work.decay(month, 0.5, 0.5, 0.5, 0.05, streams)
    assert len(ties) == 1000 and len(work) == 1000


def test_weakest_link_holds_back_the_result_under_strong_complementarity():
    levers = np.array([0.9, 0.9, 0.9, 0.9, 0.1])
    substitutes = ces(levers, 0.0)
    weakest = ces(levers, 0.97)
    assert substitutes == pytest.approx(levers.mean())
    assert weakest < 0.12  # close to the weakest lever
    values = [ces(levers, c) for c in (0.0, 0.3, 0.5, 0.8, 0.95)]
    assert all(x > y for x, y in zip(values, values[1:], strict=False))  # more complementarity, lower result
    assert ces(np.full(5, 0.4), 0.9) == pytest.approx(0.4)


def test_every_sector_has_an_organization_in_a_small_community() -> None:
    """At 300 people, seed 2 drew three organizations (one of 202 people) for five sectors; three sector levers
    were zero and the community result 0.0001. Splitting the largest and re-assigning gives every sector one."""
    from simulation.core.organizations import cover_sectors, split_for_sectors

    for seed in range(1, 9):
        model = LeadershipModel(Scenario(population={"people": 300}, months=1), rng=seed)
        sectors = len(model.params.population.sectors)
        assert (np.bincount(model.orgs.sector, minlength=sectors) > 0).all(), seed
        assert model.orgs.size.sum() == int((model.people.org[: model.people.count] >= 0).sum())
        assert (model.levers > 0.01).all(), (seed, model.levers)
    enough = np.array([30, 5, 7, 9, 2, 2])
    assert (split_for_sectors(enough, 5, 2) == enough).all()  # enough organizations: the draw is kept
    drawn = np.array([0, 1, 2, 3, 4, 0, 1])
    assert (cover_sectors(drawn, 5) == drawn).all()
    assert sorted(cover_sectors(np.array([3, 3, 3, 4, 4]), 5)) == [0, 1, 2, 3, 4]
    split = split_for_sectors(np.array([202, 8]), 5, 2)
    assert split.sum() == 210 and len(split) == 5 and split.max() <= 51  # halving the largest each time


@pytest.mark.parametrize("span", [1, 5, 12])
def test_each_organization_has_one_executive_then_one_manager_per_span(span: int) -> None:
    from simulation.core.people import EXECUTIVE, MANAGER, STAFF
    from simulation.core.population import positions_in_orgs

    sizes = np.array([1, 2, span, span + 1, 3 * span + 3, 40, 7])
    pos = positions_in_orgs(sizes, span)
    for first, size in zip(np.cumsum(sizes) - sizes, sizes, strict=True):
        org = pos[first : first + size]
        managers = (size - 1) // (span + 1) if size > span else 0
        expected = [EXECUTIVE] + [MANAGER] * managers + [STAFF] * (size - 1 - managers)
        assert org.tolist() == expected


def test_tie_kinds_follow_organization_and_sector() -> None:
    """Two residents: community; one organization: work; otherwise a bridge, within or across sectors."""
    from simulation.core.network import COMMUNITY, classify

    org = np.array([-1, -1, 0, 0, 1, 2], dtype=np.int32)
    sector = np.array([-1, -1, 3, 3, 3, 4], dtype=np.int16)
    a = np.array([0, 2, 2, 2, 0, 4])
    b = np.array([1, 3, 4, 5, 2, 5])
    assert classify(a, b, org, sector).tolist() == [COMMUNITY, WORK, CROSS_ORG, CROSS_SECTOR, CROSS_SECTOR,
                                                    CROSS_SECTOR]
    assert classify(b, a, org, sector).tolist() == classify(a, b, org, sector).tolist()
