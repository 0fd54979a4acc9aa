"""The #12 channels from people to a sector lever: one rule for teaching gains, leaders acting on their units,
initiatives' life cycle, each person's exposure counted once, filtered by transfer, and saturating levers."""

import numpy as np
import pytest

from simulation import LeadershipModel, Scenario
from simulation.core.community import levers
from simulation.core.initiatives import _advance, lever_contributions, recruit_members, start_initiative
from simulation.core.leadership import assess_leaders
from simulation.core.learning import practise_gain, update_practice
from simulation.core.people import COMPETENCE, EXECUTIVE, MANAGER, STAFF
from simulation.core.population import units_in_orgs


def _model(people=600, **over):
    return LeadershipModel(Scenario(population={"people": people}, months=24).with_values(over), rng=3,
                           person_agents=False)


def test_units_each_staff_member_has_a_leader_in_their_own_organization():
    sizes = np.array([3, 20, 40])
    unit, leads, count = units_in_orgs(sizes, span=8)
    org = np.repeat(np.arange(3), sizes)
    from simulation.core.population import positions_in_orgs
    pos = positions_in_orgs(sizes, 8)
    assert count == len(np.unique(leads[leads >= 0])) == int((leads >= 0).sum())
    assert (unit[pos == EXECUTIVE] == -1).all() and (leads[pos == STAFF] == -1).all()
    leader_org = {int(leads[i]): int(org[i]) for i in np.flatnonzero(leads >= 0)}
    for i in np.flatnonzero(unit >= 0):
        assert leader_org[int(unit[i])] == org[i]  # led from inside the organization
    managers_of_40 = np.flatnonzero((org == 2) & (pos == MANAGER))
    team_sizes = np.bincount(unit[(org == 2) & (pos == STAFF)])[leads[managers_of_40]]
    assert team_sizes.max() - team_sizes.min() <= 1  # staff dealt evenly to managers


def test_average_leaders_change_nothing_and_a_better_leader_raises_their_team_only():
    m = _model()
    assert abs(float(m.unit_quality.mean())) < 0.05  # qualities are measured from the month-0 leaders' mean
    p = m.people
    leader = int(np.flatnonzero((p.position[: p.count] == MANAGER) & (p.leads[: p.count] >= 0))[0])
    team = np.flatnonzero(p.unit[: p.count] == p.leads[leader])
    others = np.flatnonzero((p.org[: p.count] == p.org[leader]) & (p.unit[: p.count] != p.leads[leader]))
    others = others[others != leader]
    before = p.practice[: p.count].copy()
    p.capacity[leader, COMPETENCE] += 0.1
    assess_leaders(m)
    update_practice(m)
    lift = m.params.learning.leader_support * 0.1
    assert np.allclose(p.practice[team] - before[team], lift, atol=1e-6)
    assert np.array_equal(p.practice[others], before[others])
    # the leader's own transfer factor rises by self_support x their gain (unless clipped at 1)
    own = min(1.0, before[leader] + m.params.learning.self_support * 0.1) - before[leader]
    assert own > 0 and p.practice[leader] - before[leader] == pytest.approx(own, abs=1e-6)


def test_without_self_support_a_leaders_own_transfer_ignores_their_competence():
    m = _model(**{"learning.self_support": 0.0})
    p = m.people
    leader = int(np.flatnonzero((p.position[: p.count] == MANAGER) & (p.leads[: p.count] >= 0))[0])
    before = float(p.practice[leader])
    p.capacity[leader, COMPETENCE] += 0.1
    assess_leaders(m)
    update_practice(m)
    assert p.practice[leader] == before


def test_a_teaching_gain_keeps_its_applied_share_as_practised_base():
    m = _model()
    p = m.people
    ids = np.flatnonzero(p.org[: p.count] >= 0)[:50]
    base, practice = p.base_capacity[ids, COMPETENCE].copy(), p.practice[ids].copy()
    practise_gain(p, ids, COMPETENCE, 0.05)
    assert np.allclose(p.base_capacity[ids, COMPETENCE] - base, 0.05 * practice, atol=1e-6)


def test_a_person_reached_twice_counts_once_and_gains_saturate():
    m = _model(people=800)
    p, n = m.people, m.people.count
    org = int(np.argmax(m.orgs.size))
    staff = np.flatnonzero(p.org[:n] == org)
    one = start_initiative(m, staff[:3], source="test")
    one.momentum = m.params.initiatives.max_momentum
    one.adopters[org] = True
    single = lever_contributions(m)
    two = start_initiative(m, staff[3:6], source="test")
    two.momentum = m.params.initiatives.max_momentum
    two.adopters[org] = True
    double = lever_contributions(m)
    assert single.max() > 0
    assert np.allclose(double, single)  # full exposure already: a second initiative adds nobody
    assert (double <= m.params.initiatives.impact + 1e-12).all()
    everything = levers(np.ones(3), np.ones(3), 5.0)
    assert np.allclose(everything, 1.0)


def test_exposure_is_filtered_by_transfer():
    m = _model(people=800)
    p, n = m.people, m.people.count
    org = int(np.argmax(m.orgs.size))
    ini = start_initiative(m, np.flatnonzero(p.org[:n] == org)[:3], source="test")
    ini.momentum = m.params.initiatives.max_momentum
    ini.adopters[org] = True
    full = lever_contributions(m)
    p.practice[:n][p.org[:n] == org] *= 0.5
    assert np.allclose(lever_contributions(m), 0.5 * full)


def _life(m, ini, months):
    from simulation.core.initiatives import _advance
    for month in range(months):
        if not ini.active:
            return month
        _advance(ini, m.params.initiatives, month, attention=1.0, shock=0.0, adapt_u=1.0)
    return months


def test_an_able_initiative_completes_after_its_lifetime():
    m = _model()
    ini = start_initiative(m, np.flatnonzero(m.people.alive[: m.people.count])[:5], source="test")
    ini.difficulty = 0.0
    ended = _life(m, ini, 1000)
    assert ini.status == "completed" and ended == ini.lifetime + 1


def test_support_ending_makes_an_initiative_fade():
    m = _model(**{"initiatives.momentum_noise": 0.0})
    ids = np.flatnonzero(m.people.alive[: m.people.count])
    faded = start_initiative(m, ids[:5], source="test", funded_until=3)
    faded.difficulty = faded.capability()  # holds its momentum while supported, then loses funding_loss a month
    faded.lifetime = 10_000
    _life(m, faded, 1000)
    assert faded.status == "faded"


def test_a_problem_beyond_the_group_stalls_it_and_lapsing_attention_ends_it():
    m = _model()
    prm = m.params.initiatives
    ids = np.flatnonzero(m.people.alive[: m.people.count])
    stalled, lapsing = (start_initiative(m, ids[k:k + 5], source="test") for k in (0, 5))
    for ini in (stalled, lapsing):
        ini.difficulty, ini.lifetime = 1.0, 10_000
    for month in range(1, 40):  # attentive members: no momentum gained, none lost
        _advance(stalled, prm, month, attention=1.0, shock=0.0, adapt_u=1.0)
    assert stalled.status == "active" and stalled.momentum == prm.initial_momentum
    for month in range(1, 40):  # members' attention gone: attention_loss a month until it fails
        _advance(lapsing, prm, month, attention=0.0, shock=0.0, adapt_u=1.0)
        if lapsing.status != "active":
            break
    assert lapsing.status == "failed" and month == int(np.ceil(prm.initial_momentum / prm.attention_loss - 1e-9))


def test_an_initiative_replaces_members_who_left_from_its_members_contacts():
    m = _model(people=800, **{"initiatives.recruitment": 1.0})
    p, n = m.people, m.people.count
    ids = np.flatnonzero(p.alive[:n])
    ini = start_initiative(m, ids[:6], source="test")
    a, b = m.ties.ends[:, 0], m.ties.ends[:, 1]
    contacts = np.unique(np.concatenate([b[np.isin(a, ini.members)], a[np.isin(b, ini.members)]]))
    contacts = contacts[p.initiative[contacts] == -1]
    assert len(contacts) >= 2
    p.engagement[contacts] = 1.0  # engaged, aligned, free: the people a founder would recruit
    p.purpose[contacts] = 1.0
    p.initiative[ini.members[:2]] = -1  # two members left the group
    ini.members = ini.members[2:]
    recruit_members(m, [ini])  # recruitment 1: this month, for certain
    assert len(ini.members) == ini.goal == 6
    assert set(ini.members[4:].tolist()) <= set(contacts.tolist())
    assert (p.initiative[ini.members] == ini.index).all()


def test_without_recruitment_an_initiative_shrinks():
    m = _model(people=800, **{"initiatives.recruitment": 0.0})
    p, n = m.people, m.people.count
    ini = start_initiative(m, np.flatnonzero(p.alive[:n])[:6], source="test")
    p.engagement[:n], p.purpose[:n] = 1.0, 1.0
    p.initiative[ini.members[:2]] = -1
    ini.members = ini.members[2:]
    recruit_members(m, [ini])
    assert len(ini.members) == 4


@pytest.mark.parametrize("reach", [1.0, 0.0])
def test_reach_switch_decides_whether_members_act_directly(reach):
    m = _model(people=800, **{"initiatives.member_reach": reach})
    p, n = m.people, m.people.count
    ini = start_initiative(m, np.flatnonzero(p.org[:n] >= 0)[:5], source="test")
    ini.momentum = m.params.initiatives.max_momentum
    gains = lever_contributions(m)  # no adopter yet
    assert (gains.sum() > 0) == (reach == 1.0)


def test_status_and_adoption_metrics_follow_the_initiatives():
    m = LeadershipModel(Scenario(population={"people": 1500}, months=36,
                                 interventions=[{"type": "change_lab", "params": {"participants": 40}}]), rng=2,
                        person_agents=False)
    m.run_for(36)
    final = m.metrics().query("month == 36").set_index("metric").value
    for status in ("failed", "faded", "completed"):
        assert final[f"initiatives_{status}"] == sum(i.status == status for i in m.initiatives)
    own, outside = m.adoptions
    assert own + outside > 0 and final["adoptions_outside_share"] == pytest.approx(outside / (own + outside))
